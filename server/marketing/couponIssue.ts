import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { couponBatches, coupons } from "../../db/schema";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import { amountHeldPerCoupon, couponValidity } from "./couponBatchRules";
import { couponCodeOf } from "./couponCode";
import type { CouponStatus } from "./couponStateMachine";
import { couponCodeKey } from "./marketingSettings";
import type { CouponBatchRow, CouponRow } from "./offerCandidates";

/**
 * Issuing coupons from a batch, inside the caller's transaction (claims and grants share it).
 * The batch row is locked first (`lockBatch`), so claims and grants of one batch queue there
 * and the checks that follow (an existing claim key, the per-student limit) see a settled
 * batch; the budget is then taken by one conditional UPDATE — the record Postgres keeps, and
 * the reason no concurrency can issue past it.
 */
export async function lockBatch(
  tx: Transaction,
  batchId: string,
  field: string,
): Promise<CouponBatchRow> {
  const [batch] = await tx
    .select()
    .from(couponBatches)
    .where(eq(couponBatches.id, batchId))
    .for("update");
  if (!batch) throw new DomainError("not_found", "No such coupon batch", field);
  return batch;
}

/**
 * Takes `n` coupons' worth of budget: count, and each coupon's largest discount against the
 * money budget. Only while the batch is active, its claims open and its validity not over.
 * Resolves false (nothing written) when the budget does not cover them all.
 */
export async function takeBudget(
  tx: Transaction,
  batch: CouponBatchRow,
  n: number,
  now: Date,
  options: { ignoreClaimUntil?: boolean } = {},
): Promise<boolean> {
  const held = amountHeldPerCoupon(batch) * n;
  const rows = await tx
    .update(couponBatches)
    .set({
      issuedCount: sql`${couponBatches.issuedCount} + ${n}`,
      issuedAmount: sql`${couponBatches.issuedAmount} + ${held}`,
      updatedAt: now,
    })
    .where(
      and(
        eq(couponBatches.id, batch.id),
        eq(couponBatches.status, "active"),
        sql`(${couponBatches.budgetCount} IS NULL OR ${couponBatches.issuedCount} + ${n} <= ${couponBatches.budgetCount})`,
        sql`(${couponBatches.budgetAmount} IS NULL OR ${couponBatches.issuedAmount} + ${held} <= ${couponBatches.budgetAmount})`,
        options.ignoreClaimUntil
          ? undefined
          : or(isNull(couponBatches.claimUntil), gt(couponBatches.claimUntil, now)),
        or(isNull(couponBatches.validUntil), gt(couponBatches.validUntil, now)),
      ),
    )
    .returning({ id: couponBatches.id });
  return rows.length === 1;
}

export interface NewCoupon {
  claimKey: string;
  ownerUserId: string | null;
  ownerPhone: string | null;
}

/** Writes coupons of `batch` (budget already taken): available for an account, pending for a phone. */
export async function insertCoupons(
  tx: Transaction,
  batch: CouponBatchRow,
  wanted: readonly NewCoupon[],
  now: Date,
): Promise<CouponRow[]> {
  if (wanted.length === 0) return [];
  const key = couponCodeKey();
  const validity = couponValidity(batch, now);
  return tx
    .insert(coupons)
    .values(
      wanted.map((c) => {
        const id = newId();
        const status: CouponStatus = c.ownerUserId ? "available" : "pending";
        return {
          id,
          code: couponCodeOf(id, key),
          batchId: batch.id,
          ownerUserId: c.ownerUserId,
          ownerPhone: c.ownerPhone,
          claimKey: c.claimKey,
          status,
          ...validity,
          claimedAt: now,
        };
      }),
    )
    .returning();
}
