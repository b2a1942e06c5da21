import type { Redis } from "@upstash/redis";
import { env } from "../config/env";
import { MemoryCache } from "./memoryCache";
import type { KeyValueCache } from "./port";
import { RedisTcpRequester } from "./redisTcpRequester";
import { resilientCache } from "./resilientCache";
import { rawRedisFromRequester, rawUpstashRedis, UpstashCache } from "./upstashCache";

export type { IncrOptions, KeyValueCache, SetOptions } from "./port";
export { CacheUnavailableError, CacheUsageError } from "./port";

export interface CacheConfig {
  REDIS_URL?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  CACHE_TIMEOUT_MS: number;
}

/** An unreachable cache logs at most once a minute (with a count of what it suppressed). */
export const CACHE_WARN_EVERY_MS = 60_000;

/** A cache plus the means to release its connection (a no-op for HTTP and memory). */
export type ClosableCache = KeyValueCache & { close(): Promise<void> };

/** A raw Redis client from the configuration (Upstash REST wins over TCP), or null for none. */
export function connectRedis(
  config: CacheConfig,
): { redis: Redis; kind: "upstash" | "redis"; close(): Promise<void> } | null {
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    const redis = rawUpstashRedis(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN);
    return { redis, kind: "upstash", close: async () => {} };
  }
  if (config.REDIS_URL) {
    // Let ioredis give up a little after the caller has, so late replies are not wasted work
    // and a hung socket is eventually torn down.
    const budget = Math.max(config.CACHE_TIMEOUT_MS * 2, 500);
    const requester = new RedisTcpRequester(config.REDIS_URL, {
      connectTimeoutMs: budget,
      commandTimeoutMs: budget,
    });
    return {
      redis: rawRedisFromRequester(requester),
      kind: "redis",
      close: () => requester.close(),
    };
  }
  return null;
}

/** Upstash REST when configured, else Redis over TCP, else in-process; always resilient. */
export function createCache(config: CacheConfig): ClosableCache {
  const connection = connectRedis(config);
  const inner: KeyValueCache = connection
    ? new UpstashCache(connection.redis, connection.kind)
    : new MemoryCache();
  const resilient = resilientCache(inner, {
    timeoutMs: config.CACHE_TIMEOUT_MS,
    warnEveryMs: CACHE_WARN_EVERY_MS,
  });
  return Object.assign(resilient, { close: connection?.close ?? (async () => {}) });
}

// On globalThis so Next's dev reloads reuse one connection instead of leaking one per edit.
const globalForCache = globalThis as typeof globalThis & { __halfhourCache?: ClosableCache };

/** The process-wide cache, built from the environment on first use. */
export function getCache(): KeyValueCache {
  globalForCache.__halfhourCache ??= createCache(env());
  return globalForCache.__halfhourCache;
}

/** Releases the process-wide cache (tests, scripts); the next getCache() builds a new one. */
export async function closeCache(): Promise<void> {
  const cache = globalForCache.__halfhourCache;
  globalForCache.__halfhourCache = undefined;
  await cache?.close();
}
