import { accountRouter } from "./routers/account";
import { inventoryRouter } from "./routers/inventory";
import { teachersRouter } from "./routers/teachers";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  teachers: teachersRouter,
  inventory: inventoryRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
