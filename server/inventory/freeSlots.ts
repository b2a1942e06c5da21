import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { teacherDays, teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import { lapsedHolds } from "../trade/lapsedHolds";
import { addUtcDays, SLOT_MS, SlotState, slotsInState } from "./slotBitmap";

/**
 * SQL: the teacher-day has at least one published (01) slot: a low bit set whose high bit,
 * shifted onto it, is clear.
 */
export const dayHasFreeSlot = sql`(${teacherDays.slots} & ~(${teacherDays.slots} >> 1) & ${"01".repeat(48)}::bit(96)) <> ${"0".repeat(96)}::bit(96)`;

/**
 * Published (bookable) slots of one teacher that start after `now`, in the `days` days from
 * `from` (default: now), plus slots held for orders whose hold lapsed unpaid.
 */
export async function listFreeSlots(
  db: Executor,
  teacherId: string,
  options: { now: Date; from?: Date; days: number },
): Promise<Date[]> {
  const from = options.from && options.from > options.now ? options.from : options.now;
  const firstDay = from.toISOString().slice(0, 10);
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
  const horizon = from.getTime() + options.days * 86_400_000;
  const published = rows.flatMap((row) => slotsInState(row.day, row.slots, SlotState.Published));
  const lapsed = await lapsedHolds(db, teacherId, { from, to: new Date(horizon) }, options.now);
  const released = lapsed.flatMap((hold) =>
    Array.from({ length: hold.slots }, (_, i) => new Date(hold.startsAt.getTime() + i * SLOT_MS)),
  );
  const all = released.length
    ? [...published, ...released].sort((a, b) => a.getTime() - b.getTime())
    : published;
  return all.filter(
    (t) => t.getTime() >= from.getTime() && t > options.now && t.getTime() < horizon,
  );
}

/**
 * The same for the public API: the teacher must exist and be approved, and only time outside
 * their minimum notice is offered.
 */
export async function listFreeSlotsOfTeacher(
  db: Executor,
  teacherId: string,
  options: { now: Date; from?: Date; days: number },
): Promise<Date[]> {
  const [teacher] = await db
    .select({ status: teachers.status, minNoticeMinutes: teachers.minNoticeMinutes })
    .from(teachers)
    .where(eq(teachers.id, teacherId))
    .limit(1);
  if (teacher?.status !== "approved")
    throw new DomainError("invalid", "Unknown teacher", "teacherId");
  // Time inside the teacher's minimum notice cannot be booked, so it is not offered.
  const bookableFrom = new Date(options.now.getTime() + teacher.minNoticeMinutes * 60_000);
  const from = options.from && options.from > bookableFrom ? options.from : bookableFrom;
  return listFreeSlots(db, teacherId, { ...options, from });
}
