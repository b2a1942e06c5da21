/**
 * The app's only view of its cache: a small JSON key-value store. Adapters: Upstash REST,
 * self-hosted Redis over TCP, and an in-process Map for the embedded default.
 */
export interface KeyValueCache {
  readonly kind: "upstash" | "redis" | "memory";
  /** The stored value, or null when absent or expired. */
  get<T>(key: string): Promise<T | null>;
  /** Stores `value` as JSON. Resolves false when `onlyIfAbsent` is set and the key existed. */
  set<T>(key: string, value: T, options?: SetOptions): Promise<boolean>;
  /** Resolves the number of keys that existed and were removed. */
  del(...keys: string[]): Promise<number>;
  /**
   * Adds `by` (default 1, an integer) and resolves the new value. `ttlSeconds` applies only when
   * this call creates the key, so a fixed window is not extended by later hits.
   *
   * May reject with CacheUnavailableError: a counter has no safe neutral value, so callers such
   * as rate limiters must choose fail-open or fail-closed themselves. A fractional `by` or bad
   * ttl rejects with CacheUsageError.
   */
  incr(key: string, options?: IncrOptions): Promise<number>;
  /** True when the backing store answers. */
  ping(): Promise<boolean>;
}

export interface SetOptions {
  /** Expiry in seconds; fractions are honoured to the millisecond. */
  ttlSeconds?: number;
  /** Only write when the key does not exist yet (SET NX). */
  onlyIfAbsent?: boolean;
}

export interface IncrOptions {
  by?: number;
  ttlSeconds?: number;
}

/** The cache could not answer an `incr` (down, timed out, or refused the command). */
export class CacheUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CacheUnavailableError";
  }
}

/**
 * A caller bug (bad ttl, non-JSON value, fractional increment), not a cache failure: the
 * resilient wrapper lets it through instead of hiding it behind a neutral answer.
 */
export class CacheUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CacheUsageError";
  }
}

/** Redis takes whole milliseconds and rejects zero or negative expiries. */
export function ttlToMs(ttlSeconds: number): number {
  const ms = Math.round(ttlSeconds * 1000);
  if (!Number.isFinite(ms) || ms < 1) {
    throw new CacheUsageError(`ttlSeconds must be a positive number, got ${ttlSeconds}`);
  }
  return ms;
}

/** JSON.stringify returns undefined for undefined, functions and symbols: refuse those early. */
export function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new CacheUsageError("Cache values must be JSON-serialisable");
  return json;
}

/** INCRBY takes integers only; check here so every adapter refuses the same way. */
export function incrStep(by: number | undefined): number {
  const step = by ?? 1;
  if (!Number.isSafeInteger(step)) throw new CacheUsageError(`incr by must be an integer: ${by}`);
  return step;
}
