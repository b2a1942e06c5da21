import {
  type IncrOptions,
  incrStep,
  type KeyValueCache,
  type SetOptions,
  toJson,
  ttlToMs,
} from "./port";

export interface MemoryCacheOptions {
  /** Beyond this many entries the oldest-written are evicted. */
  maxEntries?: number;
  /** Injectable clock for tests. */
  now?: () => number;
}

interface Entry {
  /** JSON text, as Redis would hold it: callers get copies and the same number handling. */
  json: string;
  expiresAt: number | null;
}

/**
 * In-process cache for the embedded default (no Redis). Per process, so with several app
 * instances each has its own counters; that is the price of needing nothing to run.
 */
export class MemoryCache implements KeyValueCache {
  readonly kind = "memory";
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async get<T>(key: string): Promise<T | null> {
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.json) as T) : null;
  }

  async set<T>(key: string, value: T, options: SetOptions = {}): Promise<boolean> {
    const json = toJson(value);
    const expiresAt = this.expiry(options.ttlSeconds);
    if (options.onlyIfAbsent && this.live(key)) return false;
    this.write(key, { json, expiresAt });
    return true;
  }

  async del(...keys: string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) {
      if (this.live(key)) removed++;
      this.entries.delete(key);
    }
    return removed;
  }

  async incr(key: string, options: IncrOptions = {}): Promise<number> {
    const by = incrStep(options.by);
    const entry = this.live(key);
    // Like Redis INCRBY: integer text only (not "1.5", nor the JSON string "\"5\"").
    if (entry && !/^-?\d+$/.test(entry.json)) throw new Error("ERR value is not an integer");
    const next = (entry ? Number(entry.json) : 0) + by;
    if (!Number.isSafeInteger(next)) throw new Error("ERR increment or decrement would overflow");
    // Like the Redis adapter: the ttl applies only to a key this call creates.
    const expiresAt = entry ? entry.expiresAt : this.expiry(options.ttlSeconds);
    this.write(key, { json: String(next), expiresAt });
    return next;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  /** Drops everything; for tests. */
  clear(): void {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlSeconds: number | undefined): number | null {
    return ttlSeconds === undefined ? null : this.now() + ttlToMs(ttlSeconds);
  }

  private write(key: string, entry: Entry): void {
    // Re-inserting moves the key to the end, so Map order is write order and the first
    // key is the oldest one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
