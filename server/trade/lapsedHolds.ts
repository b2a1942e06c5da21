import { and, eq, gt, lt, lte } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { lessons, orders } from "../../db/schema";

/**
 * Lessons still holding slots for an order whose hold has lapsed unpaid. Their slots read as
 * reserved in the teacher-day bits until a booking or the sweep releases them, but they are
 * for sale: reads add them back (guarantee: an expired hold frees its slots at once).
 */
export async function lapsedHolds(
  db: Executor,
  teacherId: string,
  window: { from: Date; to: Date },
  now: Date,
): Promise<{ startsAt: Date; slots: number }[]> {
  return db
    .select({ startsAt: lessons.startsAt, slots: lessons.slots })
    .from(lessons)
    .innerJoin(orders, eq(orders.id, lessons.orderId))
    .where(
      and(
        eq(lessons.teacherId, teacherId),
        eq(lessons.status, "held"),
        lt(lessons.startsAt, window.to),
        gt(lessons.endsAt, window.from),
        eq(orders.status, "pending_payment"),
        lte(orders.holdExpiresAt, now),
      ),
    );
}
