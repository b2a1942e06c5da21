import { accountRouter } from "./routers/account";
import { availabilityRouter } from "./routers/availability";
import { scheduleRouter } from "./routers/schedule";
import { teachersRouter } from "./routers/teachers";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  teachers: teachersRouter,
  availability: availabilityRouter,
  schedule: scheduleRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
