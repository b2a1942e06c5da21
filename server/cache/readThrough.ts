import superjson, { type SuperJSONResult } from "superjson";
import { CacheUnavailableError, type KeyValueCache } from "./port";

/** How one `readThrough` call was answered (for metrics, benchmarks and tests). */
export type ReadOutcome =
  /** The value was in the cache. */
  | "hit"
  /** Shared a load already running in this process for the same key (single-flight). */
  | "joined"
  /** Another instance held the recompute lock and its value appeared while this call waited. */
  | "waited"
  /** This call ran the loader and stored its result (it won the lock, or the wait ran out). */
  | "loaded"
  /** The cache is down (or was found down moments ago): the loader ran, the cache was skipped. */
  | "bypassed";

export interface ReadThroughOptions {
  /**
   * Key of an integer counter (as written by `cache.incr`) embedded in the cache key as
   * `<key>:v<n>`; a missing counter is version 0. Bumping the counter makes every entry
   * cached under the old version unreachable at once. Costs one extra GET per call.
   */
  versionKey?: string;
  /** Lifetime of the cross-instance recompute lock, capped at `ttlSeconds`. Default 5. */
  lockTtlSeconds?: number;
  /** How long a caller that lost the lock waits for the winner's value. Default 300 ms. */
  waitMs?: number;
  /** Poll interval while waiting. Default 50 ms. */
  pollMs?: number;
  /** Called once per call with how it was answered and the (versioned) key. */
  onOutcome?: (outcome: ReadOutcome, key: string) => void;
}

export const READ_THROUGH_DEFAULTS = { lockTtlSeconds: 5, waitMs: 300, pollMs: 50 } as const;

/** After the cache is found down, skip it for this long instead of paying its timeouts. */
const BYPASS_MS = 5_000;

interface CacheState {
  /** Loads running in this process, by versioned key: the single-flight table. */
  inFlight: Map<string, Promise<unknown>>;
  /** Until when the cache counts as down (epoch ms). */
  downUntil: number;
}

// Per cache instance (not per process), so two caches in one process behave like two app
// instances sharing a Redis: they coordinate through the lock, not through this map.
const states = new WeakMap<KeyValueCache, CacheState>();

function stateOf(cache: KeyValueCache): CacheState {
  let state = states.get(cache);
  if (!state) {
    state = { inFlight: new Map(), downUntil: 0 };
    states.set(cache, state);
  }
  return state;
}

/**
 * Cache-aside read: the cached value of `key`, else `load()`'s result, stored for `ttlSeconds`.
 *
 * - Values are stored with superjson, so Dates (and Maps, BigInts…) come back as they went in.
 *   `load` must not resolve `undefined`.
 * - Under a burst of misses for one key, `load` runs once per process (a shared in-flight
 *   promise) and, across instances, once per lock: the first caller takes a short lock
 *   (`incr` on `<key>:lock`), the others poll for its value for up to `waitMs` and then load
 *   themselves rather than fail or hang.
 * - A cache failure is never the caller's problem: the resilient cache turns failed reads into
 *   misses and failed writes into no-ops, and a failed lock (incr rejects with
 *   CacheUnavailableError) means "cache down": load at once, and skip the cache for a few
 *   seconds so an outage costs no timeouts.
 * - Errors thrown by `load` reach every caller sharing that load, and are not cached.
 */
export async function readThrough<T>(
  cache: KeyValueCache,
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  options: ReadThroughOptions = {},
): Promise<T> {
  const state = stateOf(cache);
  const report = (outcome: ReadOutcome, at: string) => options.onOutcome?.(outcome, at);

  if (state.downUntil > Date.now()) {
    return singleFlight(state, `${key}#bypass`, report, async () => {
      report("bypassed", key);
      return load();
    });
  }
  const fullKey = options.versionKey
    ? `${key}:v${await readVersion(cache, options.versionKey)}`
    : key;
  return singleFlight(state, fullKey, report, () =>
    fill(cache, state, fullKey, ttlSeconds, load, options, report),
  );
}

/** The counter under `versionKey`, 0 when missing, unreadable or the cache is down. */
export async function readVersion(cache: KeyValueCache, versionKey: string): Promise<number> {
  const raw = await cache.get<unknown>(versionKey);
  return typeof raw === "number" && Number.isSafeInteger(raw) ? raw : 0;
}

function singleFlight<T>(
  state: CacheState,
  key: string,
  report: (outcome: ReadOutcome, key: string) => void,
  run: () => Promise<T>,
): Promise<T> {
  const running = state.inFlight.get(key);
  if (running) {
    report("joined", key);
    return running as Promise<T>;
  }
  const promise = run().finally(() => state.inFlight.delete(key));
  state.inFlight.set(key, promise);
  return promise;
}

async function fill<T>(
  cache: KeyValueCache,
  state: CacheState,
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  options: ReadThroughOptions,
  report: (outcome: ReadOutcome, key: string) => void,
): Promise<T> {
  const cached = await cache.get<unknown>(key);
  if (isSerialized(cached)) {
    report("hit", key);
    return superjson.deserialize<T>(cached);
  }

  const lockKey = `${key}:lock`;
  const lockTtl = Math.min(
    options.lockTtlSeconds ?? READ_THROUGH_DEFAULTS.lockTtlSeconds,
    ttlSeconds,
  );
  let won: boolean;
  try {
    // incr, not SET NX: the resilient `set` answers false both for "someone holds it" and for
    // "Redis is down", and only the first should make us wait. incr rejects when it is down.
    won = (await cache.incr(lockKey, { ttlSeconds: lockTtl })) === 1;
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
    state.downUntil = Date.now() + BYPASS_MS;
    report("bypassed", key);
    return load();
  }

  if (!won) {
    const waitMs = options.waitMs ?? READ_THROUGH_DEFAULTS.waitMs;
    const pollMs = options.pollMs ?? READ_THROUGH_DEFAULTS.pollMs;
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
      const later = await cache.get<unknown>(key);
      if (isSerialized(later)) {
        report("waited", key);
        return superjson.deserialize<T>(later);
      }
    }
    // The winner is slow or gone: compute rather than fail. Bounded: one extra load per
    // instance per wait window.
  }

  let value: T;
  try {
    value = await load();
  } catch (error) {
    // Let the next caller try at once instead of waiting for a load that will never land.
    if (won) await cache.del(lockKey);
    throw error;
  }
  // The lock is left to expire: deleting it would let a caller that missed just before this
  // write take a fresh lock and load again.
  await cache.set(key, superjson.serialize(value), { ttlSeconds });
  report("loaded", key);
  return value;
}

function isSerialized(value: unknown): value is SuperJSONResult {
  return typeof value === "object" && value !== null && "json" in value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
