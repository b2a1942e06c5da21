import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { couponBatches, coupons, orders } from "../../db/schema";
import { DomainError } from "../domainError";
import { claimClosedReason } from "./claimGroups";
import type { BatchActor } from "./couponBatches";
import { couponsLeft } from "./couponBatchRules";
import type { CouponBatchRow } from "./offerCandidates";

/** What a discount is, for pages to put in words (app/_components/couponWords.ts). */
export interface DiscountFacts {
  kind: CouponBatchRow["kind"];
  amountOff: number | null;
  percentBps: number | null;
  cap: number | null;
  currency: string;
  minOrderAmount: number;
}

const discountOf = (b: CouponBatchRow): DiscountFacts => ({
  kind: b.kind,
  amountOff: b.amountOff,
  percentBps: b.percentBps,
  cap: b.cap,
  currency: b.currency,
  minOrderAmount: b.minOrderAmount,
});

export type CouponGroup = "available" | "used" | "ended";

export interface MyCoupon {
  id: string;
  code: string;
  title: string;
  discount: DiscountFacts;
  /** Raw status; `group` is what the page sorts it under. */
  status: string;
  group: CouponGroup;
  validFrom: Date;
  validUntil: Date;
  usedAt: Date | null;
}

/**
 * A student's coupons by state: available (usable, or held by an unpaid order), used, ended
 * (expired, void, or lapsed: a coupon past its validity reads as expired at once).
 */
export async function myCoupons(db: Executor, studentId: string, now: Date) {
  const rows = await db
    .select({ coupon: coupons, batch: couponBatches })
    .from(coupons)
    .innerJoin(couponBatches, eq(couponBatches.id, coupons.batchId))
    .where(eq(coupons.ownerUserId, studentId))
    .orderBy(desc(coupons.id))
    .limit(500);
  const groups: Record<CouponGroup, MyCoupon[]> = { available: [], used: [], ended: [] };
  for (const { coupon, batch } of rows) {
    let group: CouponGroup;
    if (coupon.status === "used") group = "used";
    else if (coupon.status === "locked") group = "available";
    else if (coupon.status === "available" && coupon.validUntil.getTime() > now.getTime())
      group = "available";
    else group = "ended";
    groups[group].push({
      id: coupon.id,
      code: coupon.code,
      title: batch.title,
      discount: discountOf(batch),
      status:
        coupon.status === "available" && group === "ended" ? "expired" : String(coupon.status),
      group,
      validFrom: coupon.validFrom,
      validUntil: coupon.validUntil,
      usedAt: coupon.usedAt,
    });
  }
  return groups;
}

/** A public batch's campaign page: what it gives, how many are left, whether it can be claimed. */
export async function campaignOf(db: Executor, batchId: string, now: Date) {
  const [batch] = await db.select().from(couponBatches).where(eq(couponBatches.id, batchId));
  if (!batch?.public) throw new DomainError("not_found", "No such campaign", "batchId");
  const left = couponsLeft(batch);
  const closed = claimClosedReason(batch, now) ?? (left === 0 ? "This coupon is sold out" : null);
  return {
    id: batch.id,
    title: batch.title,
    description: batch.description,
    discount: discountOf(batch),
    perUserLimit: batch.perUserLimit,
    left,
    claimable: closed === null,
    closedReason: closed,
    validUntil: batch.validUntil,
    validDaysAfterClaim: batch.validDaysAfterClaim,
    claimUntil: batch.claimUntil,
  };
}

/**
 * Batches with their figures, for monitoring: all of them for an admin, a teacher's own for a
 * teacher. Orders and revenue driven: paid orders that used a coupon of the batch.
 */
export async function batchesFor(db: Executor, actor: BatchActor) {
  const driven = db
    .select({
      batchId: coupons.batchId,
      orders: sql<number>`count(*)::int`.as("orders"),
      revenue: sql<number>`coalesce(sum(${orders.paidAmount}), 0)::int`.as("revenue"),
    })
    .from(coupons)
    .innerJoin(orders, eq(orders.id, coupons.orderId))
    .where(and(eq(coupons.status, "used"), sql`${orders.paidAt} IS NOT NULL`))
    .groupBy(coupons.batchId)
    .as("driven");
  const rows = await db
    .select({
      batch: couponBatches,
      orders: sql<number>`coalesce(${driven.orders}, 0)`,
      revenue: sql<number>`coalesce(${driven.revenue}, 0)`,
    })
    .from(couponBatches)
    .leftJoin(driven, eq(driven.batchId, couponBatches.id))
    .where(actor.role === "teacher" ? eq(couponBatches.teacherId, actor.teacherId) : undefined)
    .orderBy(desc(couponBatches.id))
    .limit(200);
  return rows.map(({ batch, orders, revenue }) => ({
    id: batch.id,
    title: batch.title,
    funder: batch.funder,
    status: batch.status,
    public: batch.public,
    claimCode: batch.claimCode,
    discount: discountOf(batch),
    scopeKind: batch.scopeKind,
    scopeIds: batch.scopeIds,
    perUserLimit: batch.perUserLimit,
    claimUntil: batch.claimUntil,
    budgetCount: batch.budgetCount,
    budgetAmount: batch.budgetAmount,
    issued: batch.issuedCount,
    issuedAmount: batch.issuedAmount,
    used: batch.usedCount,
    left: couponsLeft(batch),
    discountGiven: batch.discountGiven,
    ordersDriven: Number(orders),
    revenueDriven: Number(revenue),
    currency: batch.currency,
  }));
}
