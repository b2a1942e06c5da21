import { and, eq, gte, lte } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import type { Executor } from "../../db/client";
import { teacherDays } from "../../db/schema";
import type { CalendarOwner } from "./calendarAccess";
import { EMPTY_DAY, SLOT_MS, type SlotState, slotOf, stateAt } from "./slotBitmap";

export interface WeekDay {
  /** Local date in the teacher's zone. */
  date: string;
  slots: { start: Date; state: SlotState }[];
}

/**
 * Seven local days of a teacher's calendar, each the UTC half hours that start within that
 * local day: 48 normally, 46 or 50 on daylight-saving days, and at :15/:45 local time in
 * zones such as Asia/Kathmandu.
 */
export async function getTeacherWeek(db: Executor, owner: CalendarOwner, weekStart: string) {
  const first = Temporal.PlainDate.from(weekStart);
  const bounds = Array.from(
    { length: 8 },
    (_, i) =>
      first.add({ days: i }).toZonedDateTime({ timeZone: owner.timeZone }).epochMilliseconds,
  );
  const from = bounds[0]!;
  const to = bounds[7]!;
  const rows = await db
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(
      and(
        eq(teacherDays.teacherId, owner.teacherId),
        gte(teacherDays.day, new Date(from).toISOString().slice(0, 10)),
        lte(teacherDays.day, new Date(to).toISOString().slice(0, 10)),
      ),
    );
  const byDay = new Map(rows.map((r) => [r.day, r.slots]));
  const days: WeekDay[] = [];
  for (let d = 0; d < 7; d++) {
    const slots: WeekDay["slots"] = [];
    for (let t = Math.ceil(bounds[d]! / SLOT_MS) * SLOT_MS; t < bounds[d + 1]!; t += SLOT_MS) {
      const { day, index } = slotOf(new Date(t));
      slots.push({ start: new Date(t), state: stateAt(byDay.get(day) ?? EMPTY_DAY, index) });
    }
    days.push({ date: first.add({ days: d }).toString(), slots });
  }
  return { teacherId: owner.teacherId, timeZone: owner.timeZone, weekStart, days };
}
