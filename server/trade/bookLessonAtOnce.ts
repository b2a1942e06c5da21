import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client";
import { findPostgresError } from "../../db/postgresError";
import { SLOT_MS } from "../inventory/slotBitmap";
import { daySegments, type SlotRange } from "../inventory/slotRange";
import { compareAndSet } from "../inventory/slotTransitions";
import { MAX_LESSON_SLOTS } from "./bookingRules";
import type { LessonRow } from "./lessonRecords";
import { isRetryable } from "./tradeTransaction";

/** Thrown to roll the transaction back when the statement did not book. */
const DECLINED = new Error("declined");

const bits = (value: string) => sql`${value}::bit(96)`;
const at = (value: Date) => sql`${value.toISOString()}::timestamptz`;

/**
 * The common booking in one statement inside a short transaction: the order's hours are
 * counted under its row lock if it qualifies (the student's, paid or in use, enough time
 * left, teacher approved, start outside the teacher's notice, no live lesson of the teacher or
 * the student overlapping), the teacher-day bits are compare-and-set, the lesson inserted.
 * A data-modifying WITH runs every part even when a later one matches nothing, so the
 * transaction is rolled back unless the lesson row came out.
 *
 * It only ever books what the full path (`bookLesson`'s transaction) would book: every
 * condition here is one the full path checks too, and it declines — returns null — rather
 * than explain anything: when anything is off (a lapsed hold to release, time taken, too few
 * hours, a lesson over midnight) the caller runs the full path, which releases, retries or
 * says exactly why. The exclusion constraints still stand behind the insert.
 */
export async function bookLessonAtOnce(
  db: Database,
  studentId: string,
  input: { orderId: string; range: SlotRange; lessonId: string; now: Date },
): Promise<LessonRow | null> {
  const segments = daySegments(input.range);
  if (segments.length !== 1) return null;
  const [segment] = segments;
  const cas = compareAndSet("reserve", segment!.indices);
  const start = input.range.start;
  const end = new Date(start.getTime() + input.range.slots * SLOT_MS);
  const earliestOverlapStart = new Date(start.getTime() - MAX_LESSON_SLOTS * SLOT_MS);
  const slots = input.range.slots;
  let rows: { teacher_id: string; created_at: Date | string }[] = [];
  try {
    rows = await db.transaction(async (tx) => {
      const booked = await queryRows<{ teacher_id: string; created_at: Date | string }>(
        tx,
        sql`
        WITH o AS (
          UPDATE orders
          SET slots_booked = orders.slots_booked + ${slots}, version = orders.version + 1,
              updated_at = now()
          WHERE orders.id = ${input.orderId} AND orders.student_id = ${studentId}
            AND orders.status IN ('paid', 'active')
            AND orders.slots_bought - orders.slots_booked - orders.slots_used >= ${slots}
            -- A correlated lookup by primary key: as a join, the planner may scan teachers
            -- by status instead, which grows with the marketplace.
            AND EXISTS (
              SELECT 1 FROM teachers t
              WHERE t.id = orders.teacher_id AND t.status = 'approved'
                AND ${at(start)} >= ${at(input.now)} + make_interval(mins => t.min_notice_minutes))
            AND NOT EXISTS (
              SELECT 1 FROM lessons l
              WHERE l.status IN ('held', 'booked')
                AND (l.teacher_id = orders.teacher_id OR l.student_id = ${studentId})
                AND l.starts_at > ${at(earliestOverlapStart)} AND l.starts_at < ${at(end)}
                AND l.ends_at > ${at(start)})
          RETURNING orders.id, orders.teacher_id
        ), reserved AS (
          UPDATE teacher_days d
          SET slots = (d.slots & ~${bits(cas.clear)}) | ${bits(cas.set)},
              version = d.version + 1, updated_at = now()
          FROM o
          WHERE d.teacher_id = o.teacher_id AND d.day = ${segment!.day}::date
            AND d.slots & ${bits(cas.mask)} = ${bits(cas.expected)}
          RETURNING d.teacher_id
        )
        INSERT INTO lessons (id, order_id, teacher_id, student_id, starts_at, ends_at, slots, status)
        SELECT ${input.lessonId}, o.id, o.teacher_id, ${studentId}, ${at(start)}, ${at(end)},
               ${slots}, 'booked'
        FROM o JOIN reserved ON reserved.teacher_id = o.teacher_id
        RETURNING teacher_id, created_at`,
      );
      // Some step matched nothing (its sub-statements ran regardless): undo them all.
      if (booked.length === 0) throw DECLINED;
      return booked;
    });
  } catch (error) {
    // Declined, an exclusion constraint fired for a rival that committed after this
    // statement's snapshot, or Postgres broke a deadlock: the full path looks again, retries
    // or explains.
    if (error === DECLINED || isWorthRetrying(error)) return null;
    throw error;
  }
  const [row] = rows;
  if (!row) return null;
  const createdAt = new Date(row.created_at);
  return {
    id: input.lessonId,
    orderId: input.orderId,
    teacherId: String(row.teacher_id),
    studentId,
    startsAt: start,
    endsAt: end,
    slots,
    status: "booked",
    version: 1,
    hoursReturned: null,
    cancelledBy: null,
    cancelReason: null,
    cancelledAt: null,
    completedBy: null,
    completedAt: null,
    rescheduleCount: 0,
    createdAt,
    updatedAt: createdAt,
  };
}

/** 23P01 exclusion, 23514 check constraint violated: the full path looks again. */
const CONSTRAINT_VIOLATIONS = new Set(["23P01", "23514"]);

const isWorthRetrying = (error: unknown) =>
  findPostgresError(error, CONSTRAINT_VIOLATIONS) !== null || isRetryable(error);
