import { and, count, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { couponBatches, coupons } from "../../db/schema";
import { getCache, type KeyValueCache } from "../cache";
import { DomainError } from "../domainError";
import { couponsLeft, normalizeClaimCode } from "./couponBatchRules";
import { giveBack, markClaimed, takeUnit } from "./couponCounter";
import { insertCoupons, lockBatch, takeBudget } from "./couponIssue";
import type { CouponBatchRow, CouponRow } from "./offerCandidates";

export interface ClaimInput {
  /** From a campaign page… */
  batchId?: string;
  /** …or the code a student typed. */
  claimCode?: string;
  /** The client's key for this claim: a retry with the same key returns the same coupon. */
  requestKey: string;
}

export interface ClaimResult {
  coupon: CouponRow;
  batch: CouponBatchRow;
  /** False when the request key had already issued this coupon. */
  created: boolean;
}

/** A claim key is per student, so one student's key can never reach another's coupon. */
export const claimKeyOf = (studentId: string, requestKey: string) =>
  `claim:${studentId}:${requestKey}`;

const CODE_TTL_SECONDS = 3600;
const codeKey = (code: string) => `coupon:code:${code}`;

/** The batch a claim code names (claim codes never change, so the answer is cached). */
async function batchIdOfCode(db: Database, cache: KeyValueCache, typed: string): Promise<string> {
  const code = normalizeClaimCode(typed);
  if (!code) throw new DomainError("invalid", "That is not a coupon code", "claimCode");
  const cached = await cache.get<string>(codeKey(code));
  if (cached) return cached;
  const [row] = await db
    .select({ id: couponBatches.id })
    .from(couponBatches)
    .where(eq(couponBatches.claimCode, code))
    .limit(1);
  if (!row) throw new DomainError("not_found", "No coupon has this code", "claimCode");
  await cache.set(codeKey(code), row.id, { ttlSeconds: CODE_TTL_SECONDS });
  return row.id;
}

/** Why a batch takes no claims now, or null when it does (status and dates; not the budget). */
export function claimClosedReason(batch: CouponBatchRow, now: Date): string | null {
  if (batch.status === "paused") return "This coupon is paused for now; try again later";
  if (batch.status === "retired") return "This coupon campaign has ended";
  if (batch.claimUntil && batch.claimUntil.getTime() <= now.getTime())
    return "Claims for this coupon are closed";
  if (batch.validUntil && batch.validUntil.getTime() <= now.getTime())
    return "Claims for this coupon are closed: its validity has ended";
  return null;
}

export const limitMessage = (limit: number) =>
  limit === 1
    ? "You already have this coupon"
    : `You already have ${limit} of these coupons: at most ${limit} per student`;

/**
 * A student claims a coupon (issue 7, item 2). Redis answers "sold out" early (couponCounter);
 * otherwise ONE Postgres transaction: lock the batch row (claims of one batch queue here), return
 * the coupon this request key already issued if any, check the batch takes claims and the
 * student's limit, take the budget with a conditional UPDATE, insert the coupon. A claim that
 * does not issue gives its Redis unit back.
 */
export async function claimCoupon(
  db: Database,
  studentId: string,
  input: ClaimInput,
  now = new Date(),
  cache: KeyValueCache = getCache(),
): Promise<ClaimResult> {
  const field = input.batchId ? "batchId" : "claimCode";
  const requestKey = input.requestKey.trim();
  if (requestKey.length < 8 || requestKey.length > 100) {
    throw new DomainError("invalid", "Expected a request key of 8 to 100 characters", "requestKey");
  }
  let batchId: string;
  if (input.batchId) batchId = input.batchId;
  else if (input.claimCode) batchId = await batchIdOfCode(db, cache, input.claimCode);
  else throw new DomainError("invalid", "Say which coupon to claim", "claimCode");
  const claimKey = claimKeyOf(studentId, requestKey);

  const pre = await takeUnit(cache, batchId, claimKey, async () => {
    const [batch] = await db.select().from(couponBatches).where(eq(couponBatches.id, batchId));
    return batch ? couponsLeft(batch) : 0;
  });
  if (pre.verdict === "sold_out") {
    throw new DomainError("conflict", "This coupon is sold out", field);
  }

  let result: ClaimResult;
  try {
    result = await db.transaction(async (tx) => {
      const batch = await lockBatch(tx, batchId, field);
      const [existing] = await tx
        .select()
        .from(coupons)
        .where(and(eq(coupons.batchId, batchId), eq(coupons.claimKey, claimKey)));
      if (existing) return { coupon: existing, batch, created: false };

      // A private batch is claimed only with its code (or granted).
      if (!batch.public && !input.claimCode) {
        throw new DomainError("not_found", "No such coupon batch", field);
      }
      const closed = claimClosedReason(batch, now);
      if (closed) throw new DomainError("conflict", closed, field);

      const [mine] = await tx
        .select({ n: count() })
        .from(coupons)
        .where(and(eq(coupons.batchId, batchId), eq(coupons.ownerUserId, studentId)));
      if ((mine?.n ?? 0) >= batch.perUserLimit) {
        throw new DomainError("conflict", limitMessage(batch.perUserLimit), field);
      }

      if (!(await takeBudget(tx, batch, 1, now))) {
        throw new DomainError("conflict", "This coupon is sold out", field);
      }
      const [coupon] = await insertCoupons(
        tx,
        batch,
        [{ claimKey, ownerUserId: studentId, ownerPhone: null }],
        now,
      );
      return { coupon: coupon!, batch, created: true };
    });
  } catch (error) {
    if (pre.took) await giveBack(cache, batchId);
    throw error;
  }
  if (result.created) await markClaimed(cache, batchId, claimKey);
  else if (pre.took) await giveBack(cache, batchId);
  return result;
}
