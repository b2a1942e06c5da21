import { type Database, getDb } from "../db/client";
import { couponBatches, coupons, promotions, promotionTargets } from "../db/schema";
import { newId } from "../server/ids/snowflake";
import { couponCodeOf } from "../server/marketing/couponCode";
import { couponCodeKey } from "../server/marketing/marketingSettings";
import type { CouponBatchRow, CouponRow, PromotionRow } from "../server/marketing/offerCandidates";
import { scopeOf } from "../server/marketing/offerCandidates";
import { promotionTargetRows } from "../server/marketing/promotionIndex";
import { createUser } from "./fixtures";

const DAY = 86_400_000;

/**
 * A platform coupon batch written straight into its table (setup only: the marketing
 * services are what the code under test uses): 5.00 off USD orders, 30 days after claim,
 * one per student, unless `values` says otherwise.
 */
export async function insertCouponBatch(
  values: Partial<typeof couponBatches.$inferInsert> = {},
  db: Database = getDb(),
): Promise<CouponBatchRow> {
  const createdBy = values.createdBy ?? (await createUser("admin", "Ada Admin")).id;
  const [row] = await db
    .insert(couponBatches)
    .values({
      id: newId(),
      title: "Five off",
      funder: "platform",
      createdBy,
      kind: "amount_off",
      amountOff: 500,
      currency: "USD",
      validDaysAfterClaim: 30,
      ...values,
    })
    .returning();
  return row!;
}

/** A coupon of `batch` owned by `userId`, available now (setup only). */
export async function insertCoupon(
  batch: CouponBatchRow,
  userId: string,
  values: Partial<typeof coupons.$inferInsert> = {},
  db: Database = getDb(),
): Promise<CouponRow> {
  const id = newId();
  const now = Date.now();
  const [row] = await db
    .insert(coupons)
    .values({
      id,
      code: couponCodeOf(id, couponCodeKey()),
      batchId: batch.id,
      ownerUserId: userId,
      claimKey: `fixture-${id}`,
      status: "available",
      validFrom: new Date(now - DAY),
      validUntil: new Date(now + 30 * DAY),
      ...values,
    })
    .returning();
  return row!;
}

/**
 * A promotion and its inverted-index rows (setup only): 10% off everything in USD, running
 * from yesterday for 30 days, unless `values` says otherwise.
 */
export async function insertPromotion(
  values: Partial<typeof promotions.$inferInsert> = {},
  db: Database = getDb(),
): Promise<PromotionRow> {
  const createdBy = values.createdBy ?? (await createUser("admin", "Ada Admin")).id;
  const now = Date.now();
  const [row] = await db
    .insert(promotions)
    .values({
      id: newId(),
      title: "Ten percent off",
      funder: "platform",
      createdBy,
      kind: "percent_off",
      percentBps: 1000,
      currency: "USD",
      scopeKind: "all",
      startsAt: new Date(now - DAY),
      endsAt: new Date(now + 30 * DAY),
      ...values,
    })
    .returning();
  const promotion = row!;
  await db.insert(promotionTargets).values(
    promotionTargetRows(scopeOf(promotion)).map((t) => ({
      ...t,
      promotionId: promotion.id,
      startsAt: promotion.startsAt,
      endsAt: promotion.endsAt,
    })),
  );
  return promotion;
}
