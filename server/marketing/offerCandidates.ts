import { and, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { couponBatches, coupons, promotions, promotionTargets } from "../../db/schema";
import type { CouponOffer, OfferScope, PromotionOffer, PromotionRule } from "./priceCalculator";
import { purchaseTargetKeys } from "./promotionIndex";

export type PromotionRow = typeof promotions.$inferSelect;
export type CouponBatchRow = typeof couponBatches.$inferSelect;
export type CouponRow = typeof coupons.$inferSelect;

export const scopeOf = (row: { scopeKind: OfferScope["kind"]; scopeIds: string[] }): OfferScope =>
  row.scopeKind === "all" ? { kind: "all" } : { kind: row.scopeKind, ids: row.scopeIds };

/** A promotion row as the calculator sees it. */
export function promotionOffer(row: PromotionRow): PromotionOffer {
  let rule: PromotionRule;
  switch (row.kind) {
    case "percent_off":
      rule = { kind: "percent_off", percentBps: row.percentBps! };
      break;
    case "amount_off":
      rule = { kind: "amount_off", amountOff: row.amountOff! };
      break;
    case "first_lesson_price":
      rule = { kind: "first_lesson_price", price: row.price! };
      break;
    case "package_discount":
      rule = { kind: "package_discount", minHours: row.minHours!, percentBps: row.percentBps! };
      break;
  }
  return {
    id: row.id,
    title: row.title,
    rule,
    scope: scopeOf(row),
    priority: row.priority,
    exclusive: row.exclusive,
  };
}

/** A coupon and its batch as the calculator sees them. */
export function couponOffer(coupon: CouponRow, batch: CouponBatchRow): CouponOffer {
  return {
    id: coupon.id,
    title: batch.title,
    rule:
      batch.kind === "amount_off"
        ? { kind: "amount_off", amountOff: batch.amountOff! }
        : batch.kind === "percent_off"
          ? { kind: "percent_off", percentBps: batch.percentBps!, cap: batch.cap }
          : { kind: "free_trial" },
    scope: scopeOf(batch),
    minOrderAmount: batch.minOrderAmount,
    exclusive: batch.exclusive,
  };
}

/**
 * The promotions in force for a purchase of a course, through the inverted index: one range
 * per key (the course, its teacher, its subjects, all) on (target, ends_at), so promotions
 * past their end drop out by themselves; then the promotion rows: active, started, in the
 * course's currency, with stock left. Not yet checked: the student's per-user limit and the
 * rule's own conditions (the calculator and the reservation do those).
 */
export async function promotionsFor(
  db: Executor,
  target: { courseId: string; teacherId: string; subjectIds: readonly string[]; currency: string },
  now: Date,
): Promise<PromotionRow[]> {
  const keys = purchaseTargetKeys(target);
  const ids = db
    .selectDistinct({ id: promotionTargets.promotionId })
    .from(promotionTargets)
    .where(
      and(
        or(
          ...keys.map((k) =>
            and(
              eq(promotionTargets.targetKind, k.targetKind),
              eq(promotionTargets.targetId, k.targetId),
            ),
          ),
        ),
        gt(promotionTargets.endsAt, now),
        lte(promotionTargets.startsAt, now),
      ),
    );
  return db
    .select()
    .from(promotions)
    .where(
      and(
        inArray(promotions.id, ids),
        eq(promotions.status, "active"),
        eq(promotions.currency, target.currency),
        lte(promotions.startsAt, now),
        gt(promotions.endsAt, now),
        or(isNull(promotions.stockTotal), sql`${promotions.stockUsed} < ${promotions.stockTotal}`),
      ),
    )
    .orderBy(promotions.id);
}

/**
 * A student's coupons usable now in a currency: available, inside their validity, from an
 * active batch. Scope and minimum amount are the calculator's business.
 */
export async function usableCoupons(
  db: Executor,
  studentId: string,
  currency: string,
  now: Date,
): Promise<{ coupon: CouponRow; batch: CouponBatchRow }[]> {
  return db
    .select({ coupon: coupons, batch: couponBatches })
    .from(coupons)
    .innerJoin(couponBatches, eq(couponBatches.id, coupons.batchId))
    .where(
      and(
        eq(coupons.ownerUserId, studentId),
        eq(coupons.status, "available"),
        lte(coupons.validFrom, now),
        gt(coupons.validUntil, now),
        eq(couponBatches.status, "active"),
        eq(couponBatches.currency, currency),
      ),
    )
    .orderBy(coupons.id);
}
