import { Redis, type Requester } from "@upstash/redis";
import {
  type IncrOptions,
  incrStep,
  type KeyValueCache,
  type SetOptions,
  toJson,
  ttlToMs,
} from "./port";

/**
 * A `Redis` that returns replies verbatim. The SDK's default JSON "auto deserialisation" turns
 * the string "123" into the number 123; we store JSON ourselves and parse it ourselves.
 */
export function rawUpstashRedis(url: string, token: string): Redis {
  return new Redis({
    url,
    token,
    automaticDeserialization: false,
    // One command per request keeps failures isolated; the resilient layer owns retries/timeouts.
    enableAutoPipelining: false,
    retry: false,
    enableTelemetry: false,
  });
}

/** Same, over a custom Requester (e.g. Redis over TCP). */
export function rawRedisFromRequester(requester: Requester): Redis {
  return new RawRequesterRedis(requester);
}

// The Requester overload of `new Redis()` takes no options, but commands read `opts` when they
// are built, so setting it after construction disables auto deserialisation all the same.
class RawRequesterRedis extends Redis {
  constructor(requester: Requester) {
    super(requester);
    this.opts = { automaticDeserialization: false };
  }
}

export class UpstashCache implements KeyValueCache {
  /** `redis` must come from rawUpstashRedis / rawRedisFromRequester. */
  constructor(
    private readonly redis: Redis,
    readonly kind: "upstash" | "redis",
  ) {}

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get<string>(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T, options: SetOptions = {}): Promise<boolean> {
    const json = toJson(value);
    const px = options.ttlSeconds === undefined ? undefined : ttlToMs(options.ttlSeconds);
    const reply = options.onlyIfAbsent
      ? await this.redis.set(key, json, px === undefined ? { nx: true } : { nx: true, px })
      : await this.redis.set(key, json, px === undefined ? undefined : { px });
    // "OK" when written, null when NX found the key.
    return reply === "OK";
  }

  async del(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0; // DEL with no keys is a Redis syntax error.
    return this.redis.del(...keys);
  }

  async incr(key: string, options: IncrOptions = {}): Promise<number> {
    const by = incrStep(options.by);
    if (options.ttlSeconds === undefined) return this.redis.incrby(key, by);
    // SET NX PX creates the key with its expiry in the same transaction as the INCRBY, so a
    // counter never exists without a ttl, and an existing window is not extended.
    const [, value] = await this.redis
      .multi()
      .set(key, "0", { px: ttlToMs(options.ttlSeconds), nx: true })
      .incrby(key, by)
      .exec<[unknown, number]>();
    return value;
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === "PONG";
  }
}
