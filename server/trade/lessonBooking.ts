import { eq, getTableColumns } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { lessons, orders, teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import { SLOT_MS } from "../inventory/slotBitmap";
import type { SlotRange } from "../inventory/slotRange";
import { cancellationReturnsHours, checkLessonTime } from "./bookingRules";
import { bookLessonAtOnce } from "./bookLessonAtOnce";
import { type LessonRow, lockLesson, releaseLessonSlots, updateLesson } from "./lessonRecords";
import { insertLesson, overlapError, reserveLessonSlots } from "./lessonSlots";
import { lockOrder, type OrderRow, slotsLeft, updateOrder } from "./orderRecords";
import { BOOKABLE_ORDER_STATUSES, describeOrderStatus } from "./orderStateMachine";
import { lessonOf, orderOf } from "./tradeAccess";
import { tradeSettings } from "./tradeSettings";
import { tradeTransaction } from "./tradeTransaction";

const hoursText = (slots: number) => {
  const hours = slots / 2;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
};

async function teacherBookingRules(tx: Transaction, teacherId: string) {
  const [teacher] = await tx
    .select({ status: teachers.status, minNoticeMinutes: teachers.minNoticeMinutes })
    .from(teachers)
    .where(eq(teachers.id, teacherId))
    .limit(1);
  return checkTakesBookings(teacher);
}

function checkTakesBookings<T extends { status: string }>(teacher: T | undefined): T {
  if (teacher?.status !== "approved") {
    throw new DomainError(
      "conflict",
      "This teacher is not taking bookings at the moment",
      "orderId",
    );
  }
  return teacher;
}

function assertBookable(order: OrderRow, slots: number) {
  if (!BOOKABLE_ORDER_STATUSES.includes(order.status)) {
    throw new DomainError(
      "conflict",
      `This order is ${describeOrderStatus(order.status)}; lessons can be booked once it is paid`,
      "orderId",
    );
  }
  const left = slotsLeft(order);
  if (slots > left) {
    throw new DomainError(
      "invalid",
      left === 0 ? "No hours left on this order" : `Only ${hoursText(left)} left on this order`,
      "slots",
    );
  }
}

/**
 * The student's own order ("not found" for anyone else's: ids are not secrets) and its
 * teacher's booking rules in one statement, for the hottest path: the order
 * locked (FOR UPDATE OF orders only: the teacher row is read, not locked, as before) with its
 * teacher's status and notice beside it. Prepared: one round trip instead of four.
 */
async function lockOwnOrderWithRules(tx: Transaction, orderId: string, studentId: string) {
  const [row] = await tx
    .select({
      order: getTableColumns(orders),
      teacherStatus: teachers.status,
      minNoticeMinutes: teachers.minNoticeMinutes,
    })
    .from(orders)
    .innerJoin(teachers, eq(teachers.id, orders.teacherId))
    .where(eq(orders.id, orderId))
    .for("update", { of: orders })
    .prepare("lock_order_with_teacher_rules")
    .execute();
  orderOf(row?.order, { studentId });
  return row!;
}

/** The time rules that need no data (the notice is checked with the teacher's setting). */
function isPlainlyBookable(range: SlotRange, now: Date, horizonDays: number): boolean {
  try {
    checkLessonTime(range, { now, minNoticeMinutes: 0, horizonDays });
    return true;
  } catch {
    return false;
  }
}

/**
 * Books a lesson against a paid order: checks the time, reserves the slots (compare-and-set
 * on the teacher's days), inserts the lesson and counts its hours as booked, in one
 * transaction. The order row is locked first, so concurrent bookings against one order
 * queue there and never spend the same hour twice. The common case goes through
 * bookLessonAtOnce, one statement doing the same; anything else takes the full path below,
 * which also explains every refusal.
 */
export async function bookLesson(
  db: Database,
  studentId: string,
  input: { orderId: string; start: Date; slots: number },
  now = new Date(),
): Promise<LessonRow> {
  const settings = tradeSettings();
  const range: SlotRange = { start: input.start, slots: input.slots };
  const lessonId = newId();
  if (isPlainlyBookable(range, now, settings.bookingHorizonDays)) {
    const booked = await bookLessonAtOnce(db, studentId, {
      orderId: input.orderId,
      range,
      lessonId,
      now,
    });
    if (booked) return booked;
  }
  return tradeTransaction(db, async (tx) => {
    const { order, teacherStatus, minNoticeMinutes } = await lockOwnOrderWithRules(
      tx,
      input.orderId,
      studentId,
    );
    assertBookable(order, input.slots);
    const teacher = checkTakesBookings({ status: teacherStatus, minNoticeMinutes });
    checkLessonTime(range, {
      now,
      minNoticeMinutes: teacher.minNoticeMinutes,
      horizonDays: settings.bookingHorizonDays,
    });
    await reserveLessonSlots(tx, { teacherId: order.teacherId, studentId }, range, now);
    const lesson = await insertLesson(tx, {
      id: lessonId,
      orderId: order.id,
      teacherId: order.teacherId,
      studentId,
      startsAt: range.start,
      endsAt: new Date(range.start.getTime() + range.slots * SLOT_MS),
      slots: range.slots,
      status: "booked",
    });
    await updateOrder(tx, order, { booked: range.slots });
    return lesson;
  });
}

/** Locks a lesson with its order (order first: the lock order every trade write follows). */
export async function lockLessonWithOrder(tx: Transaction, lessonId: string) {
  const [ref] = await tx
    .select({ orderId: lessons.orderId })
    .from(lessons)
    .where(eq(lessons.id, lessonId))
    .limit(1);
  if (!ref) throw new DomainError("not_found", "No such lesson", "lessonId");
  const order = await lockOrder(tx, ref.orderId);
  const lesson = await lockLesson(tx, lessonId);
  if (!order || !lesson) throw new DomainError("not_found", "No such lesson", "lessonId");
  return { order, lesson };
}

/**
 * Moves a booked lesson to a new start (same length): the new slots are reserved and the old
 * released in one transaction, or nothing changes. Students may move a lesson only while
 * they could still cancel it for free.
 */
export async function rescheduleLesson(
  db: Database,
  studentId: string,
  input: { lessonId: string; start: Date },
  now = new Date(),
): Promise<LessonRow> {
  const settings = tradeSettings();
  return tradeTransaction(db, async (tx) => {
    const { order, lesson } = await lockLessonWithOrder(tx, input.lessonId);
    lessonOf(lesson, { studentId });
    if (lesson.status !== "booked") {
      throw new DomainError(
        "conflict",
        `This lesson is ${lesson.status.replace("_", "-")}`,
        "lessonId",
      );
    }
    if (
      !cancellationReturnsHours("student", lesson.startsAt, now, settings.studentCancelWindowHours)
    ) {
      throw new DomainError(
        "conflict",
        `Lessons can be moved up to ${settings.studentCancelWindowHours} hours before they start`,
        "lessonId",
      );
    }
    if (input.start.getTime() === lesson.startsAt.getTime()) {
      throw new DomainError("invalid", "Pick a different time", "start");
    }
    const teacher = await teacherBookingRules(tx, order.teacherId);
    const range: SlotRange = { start: input.start, slots: lesson.slots };
    checkLessonTime(range, {
      now,
      minNoticeMinutes: teacher.minNoticeMinutes,
      horizonDays: settings.bookingHorizonDays,
    });
    await releaseLessonSlots(tx, lesson);
    await reserveLessonSlots(tx, { teacherId: lesson.teacherId, studentId }, range, now, lesson.id);
    try {
      return await updateLesson(tx, lesson, "reschedule", {
        startsAt: range.start,
        endsAt: new Date(range.start.getTime() + range.slots * SLOT_MS),
      });
    } catch (error) {
      throw overlapError(error, range.start) ?? error;
    }
  });
}
