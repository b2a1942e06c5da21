import { z } from "zod";
import { listFreeSlots } from "../../inventory/freeSlots";
import { teacherId } from "../inputs";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const inventoryRouter = createTRPCRouter({
  freeSlots: publicProcedure
    .input(z.object({ teacherId, days: z.number().int().min(1).max(28).default(14) }))
    .query(async ({ ctx, input }) => ({
      slots: await listFreeSlots(ctx.db, input.teacherId, { now: new Date(), days: input.days }),
    })),
});
