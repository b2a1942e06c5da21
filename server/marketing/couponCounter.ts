import type { KeyValueCache } from "../cache";

/**
 * The Redis pre-check of coupon claims (seed 002): a counter of the coupons a batch has left,
 * decremented before the Postgres transaction, so a sold-out batch answers "sold out" from
 * Redis without touching Postgres. Postgres stays the record: the counter only ever errs high
 * (the claim then goes to Postgres, which refuses it), never low for long —
 *
 * - it is seeded from Postgres (budget − issued) with a short ttl, so any drift heals;
 * - a claim that does not issue (refused by Postgres, a retried key, sold out) gives its unit back;
 * - stored as OFFSET + left, so a decrement that lands on a missing key (which Redis starts
 *   at 0) reads as far below OFFSET and means "not seeded", not "sold out";
 * - a Redis error or timeout skips the pre-check: the claim goes to Postgres, which decides.
 *   A decrement whose reply was lost leaves the counter one low until the ttl runs out.
 */
export const COUNTER_TTL_SECONDS = 60;
/** How long a successful claim key is remembered, so a retry after sell-out still reaches its coupon. */
export const CLAIM_MARK_TTL_SECONDS = 86_400;
const OFFSET = 1_000_000_000_000;
/** What a batch without a budget is seeded with: plenty. */
const UNLIMITED = 1_000_000_000;

export const counterKey = (batchId: string) => `coupon:batch:${batchId}:left`;
export const claimMarkKey = (batchId: string, claimKey: string) =>
  `coupon:batch:${batchId}:claimed:${claimKey}`;

/**
 * `proceed` with `took` true: a unit was taken from the counter (give it back unless a coupon
 * is issued). `proceed` with `took` false: the counter was skipped (down, or just seeded with
 * nothing left); Postgres decides. `sold_out`: the counter says none are left.
 */
export type PreCheck = { verdict: "proceed"; took: boolean } | { verdict: "sold_out" };

export async function takeUnit(
  cache: KeyValueCache,
  batchId: string,
  claimKey: string,
  /** Coupons left by Postgres (null: no budget), read when the counter must be seeded. */
  loadLeft: () => Promise<number | null>,
): Promise<PreCheck> {
  const key = counterKey(batchId);
  let value: number;
  try {
    value = await cache.incr(key, { by: -1, ttlSeconds: COUNTER_TTL_SECONDS });
  } catch {
    return { verdict: "proceed", took: false };
  }
  if (value >= OFFSET) return { verdict: "proceed", took: true };
  if (value >= OFFSET / 2) {
    await giveBack(cache, batchId);
    // A retry of a claim that did issue must still reach its coupon.
    const marked = await cache.get(claimMarkKey(batchId, claimKey)).catch(() => null);
    return marked === null ? { verdict: "sold_out" } : { verdict: "proceed", took: false };
  }
  // The key was missing (expired or never seeded): this decrement created it. Seed it from
  // Postgres, counting this claim's unit when there is one to take.
  const left = (await loadLeft()) ?? UNLIMITED;
  const took = left >= 1;
  await cache.set(key, OFFSET + left - (took ? 1 : 0), { ttlSeconds: COUNTER_TTL_SECONDS });
  return { verdict: "proceed", took };
}

/** Returns a unit taken by `takeUnit`; a failure here only leaves the counter low until its ttl. */
export async function giveBack(cache: KeyValueCache, batchId: string): Promise<void> {
  await cache
    .incr(counterKey(batchId), { by: 1, ttlSeconds: COUNTER_TTL_SECONDS })
    .catch(() => undefined);
}

/** Remembers that `claimKey` issued a coupon (best effort). */
export async function markClaimed(
  cache: KeyValueCache,
  batchId: string,
  claimKey: string,
): Promise<void> {
  await cache.set(claimMarkKey(batchId, claimKey), 1, { ttlSeconds: CLAIM_MARK_TTL_SECONDS });
}

/** Drops the counter after the budget changed (edit, grant, retire): the next claim reseeds it. */
export async function forgetCounter(cache: KeyValueCache, batchId: string): Promise<void> {
  await cache.del(counterKey(batchId));
}
