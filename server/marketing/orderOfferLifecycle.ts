import { and, eq, inArray, sql } from "drizzle-orm";
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
import { utcDay } from "./checkoutQuote";

/**
 * What happens to an order's offers after checkout (issue 7), each inside the transaction
 * that moves the order:
 *
 * - paid → redeemOrderOffers: the coupon `locked → used` (its batch counts the use and the
 *   discount given), the promotion use `reserved → consumed`. Guarded by the statuses, so a
 *   second call changes nothing: redemption is recorded once.
 * - expired, cancelled, or refunded in full before any hour was used → releaseOrderOffers:
 *   the promotion's stock unit back, the coupon back to the student (`available`, or `expired`
 *   when its validity ended meanwhile) and the day's coupon use given back. A partially
 *   refunded order keeps its coupon used: the discount went into the hours taken.
 * - about to be paid → checkOrderOffers: refuses a payment whose offers are no longer valid.
 */

/** The order became paid (confirmOrderPaid, in the payment's transaction). */
export async function redeemOrderOffers(
  tx: Transaction,
  orderId: string,
  now: Date,
): Promise<void> {
  const used = await tx
    .update(coupons)
    .set({ status: "used", usedAt: now, version: sql`${coupons.version} + 1` })
    .where(and(eq(coupons.orderId, orderId), eq(coupons.status, "locked")))
    .returning({ batchId: coupons.batchId, discountAmount: coupons.discountAmount });
  for (const coupon of used) {
    await tx
      .update(couponBatches)
      .set({
        usedCount: sql`${couponBatches.usedCount} + 1`,
        discountGiven: sql`${couponBatches.discountGiven} + ${coupon.discountAmount ?? 0}`,
        updatedAt: now,
      })
      .where(eq(couponBatches.id, coupon.batchId));
  }
  await tx
    .update(promotionUses)
    .set({ status: "consumed", closedAt: now })
    .where(and(eq(promotionUses.orderId, orderId), eq(promotionUses.status, "reserved")));
}

/**
 * The order ended without being used: expired or cancelled unpaid (its offers were locked or
 * reserved), or refunded in full before any hour was used (its offers were used or consumed).
 * Everything goes back as if the order had never been placed; the discount lines stay as the
 * record of how it was priced.
 */
export async function releaseOrderOffers(
  tx: Transaction,
  orderId: string,
  now: Date,
): Promise<void> {
  const released = await tx
    .update(promotionUses)
    .set({ status: "released", closedAt: now })
    .where(
      and(
        eq(promotionUses.orderId, orderId),
        inArray(promotionUses.status, ["reserved", "consumed"]),
      ),
    )
    .returning({ promotionId: promotionUses.promotionId });
  for (const use of released) {
    await tx
      .update(promotions)
      .set({ stockUsed: sql`${promotions.stockUsed} - 1` })
      .where(eq(promotions.id, use.promotionId));
  }
  const [coupon] = await tx
    .select()
    .from(coupons)
    .where(and(eq(coupons.orderId, orderId), inArray(coupons.status, ["locked", "used"])))
    .for("update");
  if (!coupon) return;
  await tx
    .update(coupons)
    .set({
      status: coupon.validUntil.getTime() > now.getTime() ? "available" : "expired",
      orderId: null,
      lockedAt: null,
      usedAt: null,
      discountAmount: null,
      version: sql`${coupons.version} + 1`,
    })
    .where(eq(coupons.id, coupon.id));
  if (coupon.status === "used") {
    await tx
      .update(couponBatches)
      .set({
        usedCount: sql`${couponBatches.usedCount} - 1`,
        discountGiven: sql`${couponBatches.discountGiven} - ${coupon.discountAmount ?? 0}`,
        updatedAt: now,
      })
      .where(eq(couponBatches.id, coupon.batchId));
  }
  // The use is given back to the day it was counted on (a coupon of an order cancelled at
  // checkout can be used again today).
  if (coupon.lockedAt) {
    await tx
      .update(couponDailyUses)
      .set({ used: sql`${couponDailyUses.used} - 1` })
      .where(
        and(
          eq(couponDailyUses.studentId, coupon.ownerUserId!),
          eq(couponDailyUses.day, utcDay(coupon.lockedAt)),
          sql`${couponDailyUses.used} > 0`,
        ),
      );
  }
}

/**
 * Checked again at payment (startPayment, before the payment is written): each discount the
 * orders were priced with must still hold — the coupon locked to its order, inside its
 * validity, its batch active; the promotion use still reserved and the promotion not retired.
 */
export async function checkOrderOffers(
  tx: Transaction,
  orderIds: readonly string[],
  now: Date,
): Promise<void> {
  if (orderIds.length === 0) return;
  const rows = await tx
    .select({
      orderId: orderDiscounts.orderId,
      source: orderDiscounts.source,
      couponOrderId: coupons.orderId,
      couponStatus: coupons.status,
      validFrom: coupons.validFrom,
      validUntil: coupons.validUntil,
      batchStatus: couponBatches.status,
      useStatus: promotionUses.status,
      promotionStatus: promotions.status,
    })
    .from(orderDiscounts)
    .leftJoin(
      coupons,
      and(eq(orderDiscounts.source, "coupon"), eq(coupons.id, orderDiscounts.offerId)),
    )
    .leftJoin(couponBatches, eq(couponBatches.id, coupons.batchId))
    .leftJoin(
      promotionUses,
      and(
        eq(orderDiscounts.source, "promotion"),
        eq(promotionUses.promotionId, orderDiscounts.offerId),
        eq(promotionUses.orderId, orderDiscounts.orderId),
      ),
    )
    .leftJoin(promotions, eq(promotions.id, promotionUses.promotionId))
    .where(inArray(orderDiscounts.orderId, [...orderIds]));
  const at = now.getTime();
  for (const row of rows) {
    if (row.source === "coupon") {
      const valid =
        row.couponStatus === "locked" &&
        row.couponOrderId === row.orderId &&
        row.validFrom !== null &&
        row.validFrom.getTime() <= at &&
        row.validUntil !== null &&
        row.validUntil.getTime() > at &&
        row.batchStatus === "active";
      if (!valid) {
        throw new DomainError(
          "conflict",
          "The coupon on this order is no longer valid. Cancel the order and check out again.",
          "orderIds",
        );
      }
    } else if (
      row.useStatus !== "reserved" ||
      !row.promotionStatus ||
      row.promotionStatus === "retired"
    ) {
      throw new DomainError(
        "conflict",
        "The promotion on this order has ended. Cancel the order and check out again.",
        "orderIds",
      );
    }
  }
}
