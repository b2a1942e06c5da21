import { and, eq, gt, inArray, lt, ne, or } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { findPostgresError } from "../../db/postgresError";
import { lessons, orders, teacherDays } from "../../db/schema";
import { DomainError } from "../domainError";
import { SLOT_MS, SlotState, stateAt } from "../inventory/slotBitmap";
import { SlotConflict, SlotTaken } from "../inventory/slotConflict";
import { daySegments, rangeEnd, type SlotRange } from "../inventory/slotRange";
import { transitionSlots } from "../inventory/transitionSlots";
import { MAX_LESSON_SLOTS } from "./bookingRules";
import { LIVE_LESSON_STATUSES } from "./lessonStateMachine";
import { closeUnpaidOrder } from "./unpaidOrders";

/** The student already has a lesson (with anyone) overlapping the time they picked. */
export class StudentBusy extends DomainError {
  constructor() {
    super("conflict", "You already have a lesson at that time. Pick another time.", "start");
    this.name = "StudentBusy";
  }
}

/**
 * Reserves a lesson's slots on the teacher's calendar, inside the caller's transaction.
 *
 * First it looks at live lessons overlapping the range, of this teacher or this student: a
 * hold whose order went unpaid past its expiry is released here and now (reads already treat
 * it as free; this is "the next write" that makes it so), anything else is a clean conflict.
 * Then the compare-and-set on the teacher-day bits decides races: of many students going for
 * the same half hour, exactly one UPDATE matches. `ignoreLessonId` is the lesson being
 * rescheduled, whose own old time does not count against it.
 */
export async function reserveLessonSlots(
  tx: Transaction,
  who: { teacherId: string; studentId: string },
  range: SlotRange,
  now: Date,
  ignoreLessonId?: string,
): Promise<void> {
  const end = rangeEnd(range);
  const overlapping = await tx
    .select({
      teacherId: lessons.teacherId,
      status: lessons.status,
      orderId: lessons.orderId,
      orderStatus: orders.status,
      holdExpiresAt: orders.holdExpiresAt,
    })
    .from(lessons)
    .innerJoin(orders, eq(orders.id, lessons.orderId))
    .where(
      and(
        inArray(lessons.status, [...LIVE_LESSON_STATUSES]),
        or(eq(lessons.teacherId, who.teacherId), eq(lessons.studentId, who.studentId)),
        // Bounded on both sides so the (teacher|student, starts_at) indexes serve it.
        gt(lessons.startsAt, new Date(range.start.getTime() - MAX_LESSON_SLOTS * SLOT_MS)),
        lt(lessons.startsAt, end),
        gt(lessons.endsAt, range.start),
        ignoreLessonId ? ne(lessons.id, ignoreLessonId) : undefined,
      ),
    )
    // Run by every booking, checkout hold and reschedule: a server-side prepared statement
    // (one per connection and shape) saves a describe round trip and the planning.
    .prepare(ignoreLessonId ? "lesson_overlap_except" : "lesson_overlap")
    .execute();
  const lapsed = new Set<string>();
  for (const row of overlapping) {
    const holdLapsed =
      row.status === "held" &&
      row.orderStatus === "pending_payment" &&
      row.holdExpiresAt.getTime() <= now.getTime();
    if (holdLapsed) lapsed.add(row.orderId);
    else if (row.teacherId === who.teacherId) throw new SlotTaken(range.start);
    else throw new StudentBusy();
  }
  for (const orderId of [...lapsed].sort()) await closeUnpaidOrder(tx, orderId, "expire", now);
  try {
    await transitionSlots(tx, who.teacherId, range, "reserve");
  } catch (error) {
    if (error instanceof SlotTaken) throw await whyUnavailable(tx, who.teacherId, range);
    throw error;
  }
}

/**
 * After a lost compare-and-set: says why the time cannot be booked. Another student's
 * reservation is the race ("just taken"); time the teacher never opened or blocked gets its
 * own message, so nobody is told they lost a race they were never in.
 */
async function whyUnavailable(
  tx: Transaction,
  teacherId: string,
  range: SlotRange,
): Promise<DomainError> {
  const states: SlotState[] = [];
  for (const segment of daySegments(range)) {
    const [row] = await tx
      .select({ slots: teacherDays.slots })
      .from(teacherDays)
      .where(and(eq(teacherDays.teacherId, teacherId), eq(teacherDays.day, segment.day)));
    for (const index of segment.indices) {
      states.push(row ? stateAt(row.slots, index) : SlotState.Unpublished);
    }
  }
  if (states.includes(SlotState.Reserved)) return new SlotTaken(range.start);
  if (states.includes(SlotState.Locked)) {
    return new SlotConflict(
      "reserve",
      range.start,
      "The teacher has blocked that time. Please pick another.",
    );
  }
  return new SlotConflict(
    "reserve",
    range.start,
    "The teacher has not opened that time for lessons. Please pick another.",
  );
}

const EXCLUSION_VIOLATION = new Set(["23P01"]);

/**
 * Inserts a lesson. The exclusion constraints are the last line of defence behind the
 * teacher-day bits: if they ever fire, the student still gets the same clean conflict.
 */
export async function insertLesson(
  tx: Transaction,
  values: typeof lessons.$inferInsert,
): Promise<typeof lessons.$inferSelect> {
  try {
    const [row] = await tx
      .insert(lessons)
      .values(values)
      .returning()
      .prepare("insert_lesson")
      .execute();
    return row!;
  } catch (error) {
    throw overlapError(error, values.startsAt) ?? error;
  }
}

/** Maps a violated no-overlap constraint to the conflict the student should see. */
export function overlapError(error: unknown, start: Date): DomainError | null {
  const violated = findPostgresError(error, EXCLUSION_VIOLATION);
  if (!violated) return null;
  return violated.constraint.includes("student") ? new StudentBusy() : new SlotTaken(start);
}
