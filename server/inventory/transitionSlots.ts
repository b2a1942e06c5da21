import { and, eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { SlotState } from "./slotBitmap";
import { SlotConflict, SlotTaken } from "./slotConflict";
import { daySegments, type SlotRange } from "./slotRange";
import { compareAndSet, type SlotAction, TRANSITIONS } from "./slotTransitions";

const bits = (value: string) => sql`${value}::bit(96)`;

/** Creates all-unpublished rows for days that have none, so a compare-and-set can see them. */
export async function ensureTeacherDays(db: Executor, teacherId: string, days: readonly string[]) {
  if (days.length === 0) return;
  await db
    .insert(teacherDays)
    .values(days.map((day) => ({ teacherId, day })))
    .onConflictDoNothing();
}

/**
 * Moves every slot of `range` through `action`, all or nothing, inside the caller's
 * transaction. Each touched teacher-day is one UPDATE whose WHERE checks the current bits of
 * exactly those slots (compare-and-set), so concurrent writers on other slots of the same day
 * both succeed and on the same slot exactly one does. The loser gets SlotTaken (reserve) or
 * SlotConflict, and the caller's transaction rolls back any day already changed.
 */
export async function transitionSlots(
  tx: Transaction,
  teacherId: string,
  range: SlotRange,
  action: SlotAction,
): Promise<void> {
  const segments = daySegments(range);
  if (TRANSITIONS[action].from.includes(SlotState.Unpublished)) {
    await ensureTeacherDays(
      tx,
      teacherId,
      segments.map((s) => s.day),
    );
  }
  for (const segment of segments) {
    const cas = compareAndSet(action, segment.indices);
    const updated = await tx
      .update(teacherDays)
      .set({
        slots: sql`(${teacherDays.slots} & ~${bits(cas.clear)}) | ${bits(cas.set)}`,
        version: sql`${teacherDays.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(teacherDays.teacherId, teacherId),
          eq(teacherDays.day, segment.day),
          sql`${teacherDays.slots} & ${bits(cas.mask)} = ${bits(cas.expected)}`,
        ),
      )
      .returning({ version: teacherDays.version });
    if (updated.length === 0) {
      throw action === "reserve"
        ? new SlotTaken(range.start)
        : new SlotConflict(action, range.start);
    }
  }
}
