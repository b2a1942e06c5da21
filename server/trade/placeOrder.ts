import { and, eq } from "drizzle-orm";
import type { Database, Executor, Transaction } from "../../db/client";
import { courses, courseVersions, lessons, orders, teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import { decomposeSnowflake, newId } from "../ids/snowflake";
import type { SlotRange } from "../inventory/slotRange";
import { applyOrderOffers } from "../marketing/applyOrderOffers";
import type { CouponChoice } from "../marketing/checkoutQuote";
import { checkLessonTime } from "./bookingRules";
import type { LessonRow } from "./lessonRecords";
import { insertLesson, reserveLessonSlots } from "./lessonSlots";
import { type Purchase, priceOrder, SINGLE_LESSON_HOURS, slotsOfPurchase } from "./orderPricing";
import type { OrderRow } from "./orderRecords";
import { tradeSettings } from "./tradeSettings";
import { tradeTransaction } from "./tradeTransaction";

/** How long a checkout page's order id stays usable: a day covers a tab left open overnight. */
const ORDER_ID_LIFETIME_MS = 24 * 3_600_000;

/** Issued when the checkout page opens, before the student submits (seed 001). */
export function newOrderId(): string {
  return newId();
}

export interface PlaceOrderInput {
  orderId: string;
  teacherId: string;
  courseId: string;
  purchase: Purchase;
  /** Book now: the first lesson, held with the order until it is paid. */
  lesson?: SlotRange;
  /** The student's coupon: the best of theirs (default), none, or this coupon's id. */
  coupon?: CouponChoice;
}

export interface PlacedOrder {
  order: OrderRow;
  lesson: LessonRow | null;
  /** False when this id had been submitted before and the existing order is returned. */
  created: boolean;
}

function checkOrderId(orderId: string, now: Date) {
  const issued = decomposeSnowflake(orderId).createdAt.getTime();
  if (issued > now.getTime() + 60_000 || issued < now.getTime() - ORDER_ID_LIFETIME_MS) {
    throw new DomainError(
      "invalid",
      "This checkout has expired. Reload the page to start again.",
      "orderId",
    );
  }
}

/** The course as sold now (its current version), with its teacher; null when unknown. */
export async function courseOnSale(tx: Executor, courseId: string) {
  const [row] = await tx
    .select({
      courseId: courses.id,
      courseStatus: courses.status,
      subjectSlug: courses.subjectSlug,
      teacherId: courses.teacherId,
      versionId: courseVersions.id,
      title: courseVersions.title,
      pricePerHour: courseVersions.pricePerHour,
      currency: courseVersions.currency,
      packageHours: courseVersions.packageHours,
      teacherName: teachers.displayName,
      teacherTimeZone: teachers.timeZone,
      teacherStatus: teachers.status,
      minNoticeMinutes: teachers.minNoticeMinutes,
    })
    .from(courses)
    .innerJoin(
      courseVersions,
      and(
        eq(courseVersions.courseId, courses.id),
        eq(courseVersions.version, courses.currentVersion),
      ),
    )
    .innerJoin(teachers, eq(teachers.id, courses.teacherId))
    .where(eq(courses.id, courseId))
    .limit(1);
  return row ?? null;
}

/**
 * Checkout, in one transaction: creates the order with a snapshot of what is sold and, for
 * "book now", reserves the first lesson's slots and holds the lesson until payment. The
 * order id was issued before submit, so a double click, a retry or a second tab resubmitting
 * it gets the same order back: the insert is `ON CONFLICT DO NOTHING` on the primary key, and
 * concurrent submissions of one id wait on each other there.
 */
export async function placeOrder(
  db: Database,
  studentId: string,
  input: PlaceOrderInput,
  now = new Date(),
): Promise<PlacedOrder> {
  const settings = tradeSettings();
  return tradeTransaction(db, async (tx) => {
    // A resubmission gets its order back before anything is re-checked: the course may have
    // been retired or the time taken since, but this order was placed.
    const [placed] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(eq(orders.id, input.orderId))
      .limit(1);
    if (placed) return existingOrder(tx, input.orderId, studentId);
    checkOrderId(input.orderId, now);
    const course = await courseOnSale(tx, input.courseId);
    if (!course || course.teacherId !== input.teacherId) {
      throw new DomainError("invalid", "This teacher does not offer that course", "courseId");
    }
    if (course.teacherStatus !== "approved") {
      throw new DomainError("invalid", "This teacher is not taking bookings", "teacherId");
    }
    if (course.courseStatus !== "active") {
      throw new DomainError("invalid", "This course is no longer offered", "courseId");
    }
    const { purchase, lesson } = input;
    if (purchase.kind === "lesson") {
      if (!course.packageHours.includes(SINGLE_LESSON_HOURS)) {
        throw new DomainError("invalid", "This course is sold in packages only", "purchase");
      }
      if (!lesson || lesson.slots !== purchase.slots) {
        throw new DomainError("invalid", "Pick the time of the lesson you are buying", "lesson");
      }
    } else if (!course.packageHours.includes(purchase.hours)) {
      throw new DomainError(
        "invalid",
        `Packages of this course: ${course.packageHours.join(", ")} hours`,
        "purchase.hours",
      );
    }
    const slotsBought = slotsOfPurchase(purchase);
    if (lesson && lesson.slots > slotsBought) {
      throw new DomainError("invalid", "The lesson is longer than the package", "lesson.slots");
    }
    if (lesson) {
      checkLessonTime(
        lesson,
        {
          now,
          minNoticeMinutes: course.minNoticeMinutes,
          horizonDays: settings.bookingHorizonDays,
        },
        "lesson.start",
      );
    }

    const [order] = await tx
      .insert(orders)
      .values({
        id: input.orderId,
        studentId,
        teacherId: course.teacherId,
        courseId: course.courseId,
        courseVersionId: course.versionId,
        courseTitle: course.title,
        teacherName: course.teacherName,
        teacherTimeZone: course.teacherTimeZone,
        pricePerHour: course.pricePerHour,
        currency: course.currency,
        slotsBought,
        slotsBooked: lesson?.slots ?? 0,
        ...priceOrder(course.pricePerHour, slotsBought),
        holdExpiresAt: new Date(now.getTime() + settings.holdMinutes * 60_000),
        createdAt: now,
        updatedAt: now,
      })
      // No target: the composite unique (id, teacher, student) must not raise on a resubmission either.
      .onConflictDoNothing()
      .returning();
    if (!order) return existingOrder(tx, input.orderId, studentId);
    // Promotions and coupons (marketing): reserved with the order, in this transaction.
    const offers = await applyOrderOffers(
      tx,
      {
        orderId: order.id,
        studentId,
        courseId: course.courseId,
        teacherId: course.teacherId,
        subjectSlug: course.subjectSlug,
        purchase,
        listAmount: order.listAmount,
        currency: course.currency,
      },
      input.coupon ?? "best",
      now,
    );
    const priced =
      offers.discountTotal === 0
        ? order
        : (
            await tx
              .update(orders)
              .set(priceOrder(course.pricePerHour, slotsBought, offers.discountTotal))
              .where(eq(orders.id, order.id))
              .returning()
          )[0]!;

    let held: LessonRow | null = null;
    if (lesson) {
      await reserveLessonSlots(tx, { teacherId: course.teacherId, studentId }, lesson, now);
      held = await insertLesson(tx, {
        id: newId(),
        orderId: order.id,
        teacherId: course.teacherId,
        studentId,
        startsAt: lesson.start,
        endsAt: new Date(lesson.start.getTime() + lesson.slots * 1_800_000),
        slots: lesson.slots,
        status: "held",
      });
    }
    return { order: priced, lesson: held, created: true };
  });
}

/** A resubmitted order id: the order as it is now, if it is this student's. */
async function existingOrder(tx: Transaction, orderId: string, studentId: string) {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!order || order.studentId !== studentId) {
    throw new DomainError(
      "conflict",
      "This checkout was already used. Reload the page.",
      "orderId",
    );
  }
  const [first] = await tx
    .select()
    .from(lessons)
    .where(eq(lessons.orderId, orderId))
    .orderBy(lessons.createdAt)
    .limit(1);
  return { order, lesson: first ?? null, created: false };
}
