import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { couponBatches } from "../../db/schema";
import { getCache, type KeyValueCache } from "../cache";
import { DomainError } from "../domainError";
import { type ClaimResult, issueClaim } from "./claimGroups";
import { couponsLeft, normalizeClaimCode } from "./couponBatchRules";
import { giveBack, markClaimed, takeUnit } from "./couponCounter";

export interface ClaimInput {
  /** From a campaign page… */
  batchId?: string;
  /** …or the code a student typed. */
  claimCode?: string;
  /** The client's key for this claim: a retry with the same key returns the same coupon. */
  requestKey: string;
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

/**
 * A student claims a coupon (issue 7, item 2). Redis answers "sold out" early (couponCounter);
 * otherwise one Postgres transaction (shared with the claims of the same batch that arrive
 * meanwhile: claimGroups): lock the batch row, return the coupon this request key already
 * issued if any, check the batch takes claims and the student's limit, take the budget with a
 * conditional UPDATE, insert the coupon. A claim that does not issue gives its Redis unit back.
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
    result = await issueClaim(db, batchId, {
      studentId,
      claimKey,
      byCode: !input.batchId,
      field,
      now,
    });
  } catch (error) {
    if (pre.took) await giveBack(cache, batchId);
    throw error;
  }
  if (result.created) await markClaimed(cache, batchId, claimKey);
  else if (pre.took) await giveBack(cache, batchId);
  return result;
}

export type { ClaimResult } from "./claimGroups";
export { claimClosedReason, limitMessage } from "./claimGroups";
