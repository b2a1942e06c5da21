import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { courses, courseVersions, orders, promotionUses, teachers } from "../../db/schema";
import type { KeyValueCache } from "../cache/port";
import { isCurrentVersion } from "../catalog/currentVersion";
import { DomainError } from "../domainError";
import {
  type Purchase,
  priceOrder,
  SINGLE_LESSON_HOURS,
  slotsOfPurchase,
} from "../trade/orderPricing";
import { cachedPromotionsFor } from "./cachedPromotions";
import { couponOffer, type PromotionRow, promotionOffer, usableCoupons } from "./offerCandidates";
import { bestPrice, type PurchaseFacts } from "./priceCalculator";
import { promotionWords } from "./promotionWords";

/**
 * The studio widget's live price (issue 7): the course's current price for what is being
 * bought, the promotions running on the course (cached), and — for a signed-in student — their
 * usable coupons and whether they are new to the teacher; then the calculator's best price.
 * Read-only: nothing is reserved; checkout prices and checks everything again.
 */
export async function livePrice(
  db: Executor,
  cache: KeyValueCache,
  input: { courseId: string; purchase: Purchase },
  studentId: string | null,
  now = new Date(),
) {
  const course = await saleCourse(db, input.courseId);
  const { purchase } = input;
  if (purchase.kind === "lesson" && !course.packageHours.includes(SINGLE_LESSON_HOURS)) {
    throw new DomainError("invalid", "This course is sold in packages of hours only", "purchase");
  }
  if (purchase.kind === "package" && !course.packageHours.includes(purchase.hours)) {
    throw new DomainError(
      "invalid",
      `This course sells packages of ${course.packageHours.join(", ")} hours`,
      "purchase.hours",
    );
  }
  const target = {
    courseId: course.id,
    teacherId: course.teacherId,
    subjectIds: [course.subjectSlug],
    currency: course.currency,
  };
  const running = await cachedPromotionsFor(db, cache, target, now);
  const [student, coupons] = studentId
    ? await Promise.all([
        studentFacts(db, studentId, course.teacherId, running),
        usableCoupons(db, studentId, course.currency, now),
      ])
    : [{ newToTeacher: true, usedUp: new Set<string>() }, []];
  const facts: PurchaseFacts = {
    courseId: course.id,
    teacherId: course.teacherId,
    subjectIds: target.subjectIds,
    purchase,
    listAmount: priceOrder(course.pricePerHour, slotsOfPurchase(purchase)).listAmount,
    // An anonymous visitor is shown what a new student would pay.
    newToTeacher: student.newToTeacher,
  };
  const offers = running.filter((p) => !student.usedUp.has(p.id)).map(promotionOffer);
  const couponOffers = coupons.map((c) => couponOffer(c.coupon, c.batch));
  const quote = bestPrice(facts, offers, couponOffers);
  const couponLine = quote.discounts.find((d) => d.source === "coupon") ?? null;
  return {
    courseId: course.id,
    currency: course.currency,
    listAmount: quote.listAmount,
    discounts: quote.discounts,
    discountTotal: quote.discountTotal,
    payable: quote.payable,
    promotions: running.map((p) => ({
      id: p.id,
      title: p.title,
      words: promotionWords(promotionOffer(p).rule, p.currency),
      endsAt: p.endsAt,
    })),
    suggestedCoupon: couponLine
      ? { id: couponLine.id, title: couponLine.title, amount: couponLine.amount }
      : null,
  };
}

export type LivePrice = Awaited<ReturnType<typeof livePrice>>;

async function saleCourse(db: Executor, courseId: string) {
  const [course] = await db
    .select({
      id: courses.id,
      teacherId: courses.teacherId,
      subjectSlug: courses.subjectSlug,
      pricePerHour: courseVersions.pricePerHour,
      currency: courseVersions.currency,
      packageHours: courseVersions.packageHours,
    })
    .from(courses)
    .innerJoin(courseVersions, isCurrentVersion)
    .innerJoin(teachers, eq(teachers.id, courses.teacherId))
    .where(
      and(eq(courses.id, courseId), eq(courses.status, "active"), eq(teachers.status, "approved")),
    )
    .limit(1);
  if (!course) throw new DomainError("not_found", "No such course on sale", "courseId");
  return course;
}

/**
 * Whether the student has ever paid an order of this teacher, and which of the running
 * promotions they have used up (per-user limit; reserved uses count until released).
 */
async function studentFacts(
  db: Executor,
  studentId: string,
  teacherId: string,
  running: readonly PromotionRow[],
) {
  const limited = running.filter((p) => p.perUserLimit !== null);
  const [paid, uses] = await Promise.all([
    db
      .select({ one: sql`1` })
      .from(orders)
      .where(
        and(
          eq(orders.studentId, studentId),
          eq(orders.teacherId, teacherId),
          isNotNull(orders.paidAt),
        ),
      )
      .limit(1),
    limited.length === 0
      ? []
      : db
          .select({
            promotionId: promotionUses.promotionId,
            used: sql<number>`count(*)`.mapWith(Number),
          })
          .from(promotionUses)
          .where(
            and(
              eq(promotionUses.studentId, studentId),
              inArray(
                promotionUses.promotionId,
                limited.map((p) => p.id),
              ),
              inArray(promotionUses.status, ["reserved", "consumed"]),
            ),
          )
          .groupBy(promotionUses.promotionId),
  ]);
  const usedUp = new Set(
    uses
      .filter(
        (u) => u.used >= (limited.find((p) => p.id === u.promotionId)?.perUserLimit ?? Infinity),
      )
      .map((u) => u.promotionId),
  );
  return { newToTeacher: paid.length === 0, usedUp };
}
