import type { Executor } from "../../db/client";
import { CacheUnavailableError, type KeyValueCache } from "../cache/port";
import { readThrough } from "../cache/readThrough";
import { databaseNamespace } from "../catalog/cachedReads";
import { type PromotionRow, promotionsFor } from "./offerCandidates";

/**
 * The promotions of a course behind Redis (issue 7: the index in Postgres, cached in Redis).
 *
 * - One entry per course, under a global promotions version that every promotion write bumps
 *   (promotionsChanged): an edit, pause or retire is visible on the next read, at the cost of
 *   refilling every course's entry — promotion writes are rare, price reads are hot.
 * - Short TTL, and rows are filtered by the caller's `now` after reading, so a promotion never
 *   outlives its end in the cache. A promotion that starts, or sells out, while an entry is
 *   cached shows up (or goes) at most one TTL late; orders check everything again in Postgres.
 * - Redis down: readThrough loads from Postgres (and skips the cache for a few seconds).
 */
export const PROMOTIONS_TTL_SECONDS = 30;

export const promotionsVersionKey = () => `read:${databaseNamespace()}:promotions:version`;
const coursePromotionsKey = (courseId: string) =>
  `read:${databaseNamespace()}:promotions:course:${courseId}`;

export async function cachedPromotionsFor(
  db: Executor,
  cache: KeyValueCache,
  target: { courseId: string; teacherId: string; subjectIds: readonly string[]; currency: string },
  now: Date,
): Promise<PromotionRow[]> {
  const rows = await readThrough(
    cache,
    coursePromotionsKey(target.courseId),
    PROMOTIONS_TTL_SECONDS,
    // Loaded for the load's own clock; every reader filters for theirs below.
    () => promotionsFor(db, target, new Date()),
    { versionKey: promotionsVersionKey() },
  );
  return rows.filter((p) => p.startsAt <= now && p.endsAt > now && p.status === "active");
}

/**
 * Invalidates every cached promotion list; called after a promotion write commits. A bump
 * lost to a Redis outage leaves entries at most one TTL stale (they expire by themselves).
 */
export async function promotionsChanged(cache: KeyValueCache): Promise<void> {
  try {
    await cache.incr(promotionsVersionKey());
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
  }
}
