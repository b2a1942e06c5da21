import { and, count, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import {
  couponBatches,
  couponDailyUses,
  coupons,
  orderDiscounts,
  promotions,
  promotionUses,
} from "../../db/schema";
import { DomainError } from "../domainError";
import {
  type CouponChoice,
  loadOfferCandidates,
  type OfferCandidates,
  type OrderFacts,
  priceForChoice,
  utcDay,
} from "./checkoutQuote";
import { couponsPerDay } from "./marketingSettings";
import type { DiscountLine, PriceQuote } from "./priceCalculator";

export interface AppliedOffers {
  discountTotal: number;
  discounts: DiscountLine[];
}

/** A reservation that could not be made: which offer, so the order is re-priced without it. */
class OfferTaken extends Error {
  constructor(readonly source: "promotion" | "coupon") {
    super(`${source} taken`);
  }
}

/**
 * One unit of the promotion's stock for this order, if it is still in force and in stock, and
 * the student is under its per-user limit. The stock update takes the promotion's row lock, so
 * the count of the student's uses that follows cannot race another order of theirs.
 */
async function reservePromotion(
  tx: Transaction,
  order: { id: string; studentId: string },
  line: DiscountLine,
  now: Date,
): Promise<boolean> {
  const [promotion] = await tx
    .update(promotions)
    .set({ stockUsed: sql`${promotions.stockUsed} + 1` })
    .where(
      and(
        eq(promotions.id, line.id),
        eq(promotions.status, "active"),
        lte(promotions.startsAt, now),
        gt(promotions.endsAt, now),
        or(isNull(promotions.stockTotal), sql`${promotions.stockUsed} < ${promotions.stockTotal}`),
      ),
    )
    .returning({ perUserLimit: promotions.perUserLimit });
  if (!promotion) return false;
  if (promotion.perUserLimit !== null) {
    const [uses] = await tx
      .select({ n: count() })
      .from(promotionUses)
      .where(
        and(
          eq(promotionUses.promotionId, line.id),
          eq(promotionUses.studentId, order.studentId),
          inArray(promotionUses.status, ["reserved", "consumed"]),
        ),
      );
    if ((uses?.n ?? 0) >= promotion.perUserLimit) return false;
  }
  await tx.insert(promotionUses).values({
    promotionId: line.id,
    orderId: order.id,
    studentId: order.studentId,
    status: "reserved",
    discountAmount: line.amount,
    createdAt: now,
  });
  return true;
}

/**
 * Locks the coupon to the order: `available → locked` as a compare-and-set on the version
 * read with the candidates, re-checking its owner, validity and batch. Then the daily risk
 * rule: the student's counter for today goes up only while under the limit.
 */
async function lockCoupon(
  tx: Transaction,
  order: { id: string; studentId: string },
  line: DiscountLine,
  version: number,
  now: Date,
): Promise<boolean> {
  const [locked] = await tx
    .update(coupons)
    .set({
      status: "locked",
      orderId: order.id,
      lockedAt: now,
      discountAmount: line.amount,
      version: sql`${coupons.version} + 1`,
    })
    .where(
      and(
        eq(coupons.id, line.id),
        eq(coupons.version, version),
        eq(coupons.status, "available"),
        eq(coupons.ownerUserId, order.studentId),
        lte(coupons.validFrom, now),
        gt(coupons.validUntil, now),
        sql`EXISTS (SELECT 1 FROM ${couponBatches} WHERE ${couponBatches.id} = ${coupons.batchId} AND ${couponBatches.status} = 'active')`,
      ),
    )
    .returning({ id: coupons.id });
  if (!locked) return false;
  const limit = couponsPerDay();
  const [counted] = await tx
    .insert(couponDailyUses)
    .values({ studentId: order.studentId, day: utcDay(now), used: 1 })
    .onConflictDoUpdate({
      target: [couponDailyUses.studentId, couponDailyUses.day],
      set: { used: sql`${couponDailyUses.used} + 1` },
      setWhere: sql`${couponDailyUses.used} < ${limit}`,
    })
    .returning({ used: couponDailyUses.used });
  if (!counted) {
    throw new DomainError(
      "conflict",
      `You have used ${limit} ${limit === 1 ? "coupon" : "coupons"} today, the most allowed in a day. Check out without a coupon, or use it tomorrow.`,
      "coupon",
    );
  }
  return true;
}

/** Reserves every offer of the quote, in a savepoint: all of them, or none and which failed. */
async function reserve(
  tx: Transaction,
  order: { id: string; studentId: string },
  quote: PriceQuote,
  candidates: OfferCandidates,
  now: Date,
): Promise<void> {
  await tx.transaction(async (savepoint) => {
    for (const line of quote.discounts) {
      if (line.source === "promotion") {
        if (!(await reservePromotion(savepoint, order, line, now))) {
          throw new OfferTaken("promotion");
        }
      } else {
        const version = candidates.coupons.find((c) => c.coupon.id === line.id)!.coupon.version;
        if (!(await lockCoupon(savepoint, order, line, version, now))) {
          throw new OfferTaken("coupon");
        }
      }
    }
    if (quote.discounts.length > 0) {
      await savepoint.insert(orderDiscounts).values(
        quote.discounts.map((d) => ({
          orderId: order.id,
          source: d.source,
          offerId: d.id,
          title: d.title,
          amount: d.amount,
        })),
      );
    }
  });
}

/**
 * The offers of a new order, inside placeOrder's transaction (trade calls this once, after
 * inserting the order and before writing its amounts): the candidates are loaded, the best
 * price for the student's choice computed, and its offers reserved — a unit of promotion
 * stock (with the per-user limit) and the coupon locked to the order (with today's use
 * counted against the daily limit) — and the discount lines written.
 *
 * When a reservation fails because another order got there first (the last unit of stock, the
 * coupon locked or changed meanwhile), that offer is dropped and the order re-priced without
 * it; a coupon the student picked by name is never silently dropped: the order is refused,
 * naming `coupon`. Reaching the daily coupon limit refuses the order too.
 */
export async function applyOrderOffers(
  tx: Transaction,
  order: OrderFacts & { orderId: string },
  choice: CouponChoice,
  now: Date,
): Promise<AppliedOffers> {
  const candidates = await loadOfferCandidates(tx, order, now);
  const explicit = choice !== "best" && choice !== "none";
  const target = { id: order.orderId, studentId: order.studentId };
  // Each failed attempt removes an offer, so this ends within promotions + coupons + 1 rounds.
  for (;;) {
    const quote = priceForChoice(candidates, choice);
    if (!quote) {
      throw new DomainError(
        "invalid",
        "This coupon cannot be used on this order: it is not yours, not valid now, or does not apply to what you are buying",
        "coupon",
      );
    }
    try {
      await reserve(tx, target, quote, candidates, now);
      return { discountTotal: quote.discountTotal, discounts: quote.discounts };
    } catch (error) {
      if (!(error instanceof OfferTaken)) throw error;
      if (error.source === "promotion") {
        candidates.promotions = candidates.promotions.filter((p) => p.id !== quote.promotionId);
      } else {
        if (explicit) {
          throw new DomainError(
            "conflict",
            "This coupon was just used or changed. Pick another coupon or check out without one.",
            "coupon",
          );
        }
        candidates.coupons = candidates.coupons.filter((c) => c.coupon.id !== quote.couponId);
      }
    }
  }
}
