import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { SlotState } from "./slotBitmap";
import { SlotConflict, SlotTaken } from "./slotConflict";
import { daySegments, type SlotRange } from "./slotRange";
import { compareAndSet, type SlotAction, TRANSITIONS } from "./slotTransitions";

const bits = (value: string) => sql`${value}::bit(96)`;

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
  const fromUnpublished = TRANSITIONS[action].from.includes(SlotState.Unpublished);
  for (const segment of daySegments(range)) {
    const cas = compareAndSet(action, segment.indices);
    if (fromUnpublished) {
      // A day with no row is all unpublished: create it with its final bits in one write.
      const created = await tx
        .insert(teacherDays)
        .values({ teacherId, day: segment.day, slots: cas.set, version: 1 })
        .onConflictDoNothing()
        .returning({ version: teacherDays.version });
      if (created.length > 0) continue;
    }
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
      .returning({ version: teacherDays.version })
      // The hottest statement of a booking rush: a server-side prepared statement (reused per
      // connection, same text every time) skips re-parsing and planning it on every reserve.
      .prepare("teacher_day_compare_and_set")
      .execute();
    if (updated.length === 0) {
      throw action === "reserve"
        ? new SlotTaken(range.start)
        : new SlotConflict(action, range.start);
    }
  }
}
