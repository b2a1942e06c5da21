import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { addUtcDays, SlotState, slotsInState } from "./slotBitmap";

/** Published (bookable) slots of one teacher starting after `now`, over the next `days` days. */
export async function listFreeSlots(
  db: Executor,
  teacherId: string,
  options: { now: Date; days: number },
): Promise<Date[]> {
  const firstDay = options.now.toISOString().slice(0, 10);
  const lastDay = addUtcDays(firstDay, options.days);
  const rows = await db
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(
      and(
        eq(teacherDays.teacherId, teacherId),
        gte(teacherDays.day, firstDay),
        lte(teacherDays.day, lastDay),
      ),
    )
    .orderBy(asc(teacherDays.day));
  const horizon = options.now.getTime() + options.days * 86_400_000;
  return rows
    .flatMap((row) => slotsInState(row.day, row.slots, SlotState.Published))
    .filter((t) => t.getTime() > options.now.getTime() && t.getTime() <= horizon);
}
