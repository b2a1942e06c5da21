import { z } from "zod";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import { assertMaySell } from "../../inventory/calendarAccess";
import { applyAvailabilityPattern, changeSlots } from "../../inventory/scheduleService";
import { localDate, slotRangeInput, weeklyWindow } from "../inputs";
import { calendarProcedure, createTRPCRouter } from "../trpc";

/** A week of half hours: the most one click or drag on the grid can cover. */
const gridRange = slotRangeInput(7 * 50);

const change = (action: "publish" | "unpublish" | "lock" | "unlock") =>
  calendarProcedure.input(gridRange).mutation(async ({ ctx, input }) => {
    if (action === "publish") assertMaySell(ctx.calendar);
    const result = await changeSlots(ctx.db, ctx.calendar, input, action);
    // Free slots are cached (catalog/cachedReads); the static page does not show them.
    await markTeacherChanged(ctx.cache, ctx.calendar.teacherId, { page: false });
    return result;
  });

export const scheduleRouter = createTRPCRouter({
  publish: change("publish"),
  unpublish: change("unpublish"),
  lock: change("lock"),
  unlock: change("unlock"),

  applyPattern: calendarProcedure
    .input(
      z.object({
        windows: z.array(weeklyWindow).max(50).default([]),
        from: localDate,
        to: localDate,
        additions: z
          .array(slotRangeInput(48 * 7))
          .max(100)
          .default([]),
        removals: z
          .array(slotRangeInput(48 * 7))
          .max(100)
          .default([]),
        dryRun: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      assertMaySell(ctx.calendar);
      const outcome = await applyAvailabilityPattern(ctx.db, ctx.calendar, input);
      if (!input.dryRun) {
        await markTeacherChanged(ctx.cache, ctx.calendar.teacherId, { page: false });
      }
      return outcome;
    }),
});
