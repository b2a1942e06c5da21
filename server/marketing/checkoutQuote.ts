import { and, count, eq, inArray, isNotNull } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { couponDailyUses, orders, promotionUses } from "../../db/schema";
import { couponsPerDay } from "./marketingSettings";
import {
  type CouponBatchRow,
  type CouponRow,
  couponOffer,
  type PromotionRow,
  promotionOffer,
  promotionsFor,
  usableCoupons,
} from "./offerCandidates";
import {
  bestPrice,
  betterQuote,
  type CouponOffer,
  type PriceQuote,
  type PurchaseFacts,
  priceWith,
} from "./priceCalculator";

/** What an order is for, as checkout knows it (before any offer). */
export interface OrderFacts {
  studentId: string;
  courseId: string;
  teacherId: string;
  subjectSlug: string;
  purchase: PurchaseFacts["purchase"];
  listAmount: number;
  currency: string;
}

/** The student's coupon choice at checkout: the best one, none, or this coupon's id. */
export type CouponChoice = "best" | "none" | (string & {});

export interface OfferCandidates {
  facts: PurchaseFacts;
  /** In force, in stock, and under the student's per-user limit. */
  promotions: PromotionRow[];
  coupons: { coupon: CouponRow; batch: CouponBatchRow }[];
  /** Coupons the student may still use today (the daily risk rule), at least 0. */
  couponUsesLeftToday: number;
}

/** The student's UTC day, as the daily coupon counter keys it. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** Promotion uses the student holds or has used, per promotion. */
async function usesByStudent(db: Executor, studentId: string, promotionIds: string[]) {
  if (promotionIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ promotionId: promotionUses.promotionId, n: count() })
    .from(promotionUses)
    .where(
      and(
        eq(promotionUses.studentId, studentId),
        inArray(promotionUses.promotionId, promotionIds),
        inArray(promotionUses.status, ["reserved", "consumed"]),
      ),
    )
    .groupBy(promotionUses.promotionId);
  return new Map(rows.map((r) => [r.promotionId, r.n]));
}

/** True when the student has never paid an order of this teacher (first-lesson prices). */
async function isNewToTeacher(db: Executor, studentId: string, teacherId: string) {
  const [paid] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.studentId, studentId),
        eq(orders.teacherId, teacherId),
        isNotNull(orders.paidAt),
      ),
    )
    .limit(1);
  return !paid;
}

/**
 * Everything the calculator needs for one order: the purchase facts (new to the teacher or
 * not), the promotions in force for the course minus those the student has used up, and the
 * student's usable coupons. Reads only; the reservation re-checks all of it under locks.
 */
export async function loadOfferCandidates(
  db: Executor,
  order: OrderFacts,
  now: Date,
): Promise<OfferCandidates> {
  const subjectIds = [order.subjectSlug];
  const [found, coupons, newToTeacher, [daily]] = await Promise.all([
    promotionsFor(
      db,
      {
        courseId: order.courseId,
        teacherId: order.teacherId,
        subjectIds,
        currency: order.currency,
      },
      now,
    ),
    usableCoupons(db, order.studentId, order.currency, now),
    isNewToTeacher(db, order.studentId, order.teacherId),
    db
      .select({ used: couponDailyUses.used })
      .from(couponDailyUses)
      .where(
        and(eq(couponDailyUses.studentId, order.studentId), eq(couponDailyUses.day, utcDay(now))),
      ),
  ]);
  const used = await usesByStudent(
    db,
    order.studentId,
    found.filter((p) => p.perUserLimit !== null).map((p) => p.id),
  );
  return {
    facts: {
      courseId: order.courseId,
      teacherId: order.teacherId,
      subjectIds,
      purchase: order.purchase,
      listAmount: order.listAmount,
      newToTeacher,
    },
    promotions: found.filter(
      (p) => p.perUserLimit === null || (used.get(p.id) ?? 0) < p.perUserLimit,
    ),
    coupons,
    couponUsesLeftToday: Math.max(0, couponsPerDay() - (daily?.used ?? 0)),
  };
}

/**
 * The best price that uses this coupon (with the best promotion it may stack with, or alone),
 * or null when it does not apply to the order — a coupon the student picks is used even when
 * a promotion alone would be cheaper.
 */
export function priceWithCoupon(
  candidates: OfferCandidates,
  coupon: CouponOffer,
): PriceQuote | null {
  const promotions = candidates.promotions.map(promotionOffer);
  const priority = new Map(promotions.map((p) => [p.id, p.priority]));
  let best: PriceQuote | null = null;
  for (const promotion of [null, ...promotions]) {
    const quote = priceWith(candidates.facts, promotion, coupon);
    if (quote && (!best || betterQuote(quote, best, (id) => priority.get(id) ?? 0))) best = quote;
  }
  return best;
}

/**
 * The price for the student's choice: the best combination of everything (`best`), the best
 * without a coupon (`none`), or the best that uses the coupon named (null: it does not apply,
 * or is not among the student's usable coupons).
 */
export function priceForChoice(
  candidates: OfferCandidates,
  choice: CouponChoice,
): PriceQuote | null {
  const promotions = candidates.promotions.map(promotionOffer);
  if (choice === "none") return bestPrice(candidates.facts, promotions, []);
  if (choice === "best") {
    return bestPrice(
      candidates.facts,
      promotions,
      candidates.coupons.map((c) => couponOffer(c.coupon, c.batch)),
    );
  }
  const picked = candidates.coupons.find((c) => c.coupon.id === choice);
  return picked ? priceWithCoupon(candidates, couponOffer(picked.coupon, picked.batch)) : null;
}

export interface CouponAlternative {
  couponId: string;
  code: string;
  title: string;
  validUntil: Date;
  /** The best price using this coupon, or null when it does not apply to this order. */
  quote: PriceQuote | null;
}

export interface CheckoutQuote {
  /** The suggested price: the best combination (the coupon preselected at checkout). */
  best: PriceQuote;
  /** The best price without any coupon. */
  withoutCoupon: PriceQuote;
  /** Each usable coupon of the student's and what the order costs with it. */
  coupons: CouponAlternative[];
  couponsPerDay: number;
  couponUsesLeftToday: number;
}

/**
 * What checkout shows before the order exists: the suggested best price (promotion and
 * coupon), the price without a coupon, and each of the student's coupons with its price.
 * When the student has used up today's coupons, no coupon is suggested.
 */
export async function checkoutQuote(
  db: Executor,
  order: OrderFacts,
  now = new Date(),
): Promise<CheckoutQuote> {
  const candidates = await loadOfferCandidates(db, order, now);
  const withoutCoupon = priceForChoice(candidates, "none")!;
  const coupons = candidates.coupons.map(({ coupon, batch }) => ({
    couponId: coupon.id,
    code: coupon.code,
    title: batch.title,
    validUntil: coupon.validUntil,
    quote: priceWithCoupon(candidates, couponOffer(coupon, batch)),
  }));
  return {
    best: candidates.couponUsesLeftToday > 0 ? priceForChoice(candidates, "best")! : withoutCoupon,
    withoutCoupon,
    coupons,
    couponsPerDay: couponsPerDay(),
    couponUsesLeftToday: candidates.couponUsesLeftToday,
  };
}
