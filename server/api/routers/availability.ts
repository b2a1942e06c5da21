import { z } from "zod";
import { cachedFreeSlots } from "../../catalog/cachedReads";
import { getTeacherWeek } from "../../inventory/teacherWeek";
import { localDate, teacherId } from "../inputs";
import { calendarProcedure, createTRPCRouter, publicProcedure } from "../trpc";

export const availabilityRouter = createTRPCRouter({
  /** Bookable half hours of an approved teacher, from now (or `from`) over `days` days. */
  free: publicProcedure
    .input(
      z.object({
        teacherId,
        from: z.date().optional(),
        days: z.number().int().min(1).max(28).default(14),
      }),
    )
    .query(async ({ ctx, input }) => ({
      slots: await cachedFreeSlots(ctx.db, ctx.cache, input.teacherId, {
        now: new Date(),
        from: input.from,
        days: input.days,
      }),
    })),

  /** The teacher's own week grid (or any teacher's, for an admin). */
  week: calendarProcedure
    .input(z.object({ weekStart: localDate }))
    .query(({ ctx, input }) => getTeacherWeek(ctx.db, ctx.calendar, input.weekStart)),
});
