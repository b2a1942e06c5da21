import { createCache } from "../../server/cache";
import { MemoryCache } from "../../server/cache/memoryCache";
import type { KeyValueCache } from "../../server/cache/port";
import { RedisTcpRequester } from "../../server/cache/redisTcpRequester";
import {
  rawRedisFromRequester,
  rawUpstashRedis,
  UpstashCache,
} from "../../server/cache/upstashCache";
import { describeCacheBehaviour } from "./behaviour";
import {
  deleteByPrefix,
  REDIS_URL,
  rawClient,
  startFakeUpstashRest,
  uniquePrefix,
} from "./support";

describeCacheBehaviour("memory", async () => ({
  cache: new MemoryCache(),
  prefix: uniquePrefix("memory"),
  teardown: async () => {},
}));

/** Redis-backed variants share key inspection (PTTL) and cleanup through a plain client. */
async function redisBacked(
  label: string,
  build: () => Promise<{
    cache: KeyValueCache;
    close(): Promise<void>;
  }>,
) {
  const inspector = rawClient();
  const prefix = uniquePrefix(label);
  const { cache, close } = await build();
  return {
    cache,
    prefix,
    pttl: (key: string) => inspector.pttl(key),
    teardown: async () => {
      await deleteByPrefix(inspector, prefix);
      await close();
      await inspector.quit();
    },
  };
}

describeCacheBehaviour("redis over TCP (adapter)", () =>
  redisBacked("tcp", async () => {
    const requester = new RedisTcpRequester(REDIS_URL);
    return {
      cache: new UpstashCache(rawRedisFromRequester(requester), "redis"),
      close: () => requester.close(),
    };
  }),
);

describeCacheBehaviour("redis over TCP (createCache, resilient)", () =>
  redisBacked("tcp-resilient", async () => {
    const cache = createCache({ REDIS_URL, CACHE_TIMEOUT_MS: 2_000 });
    return { cache, close: () => cache.close() };
  }),
);

describeCacheBehaviour("upstash REST (fake endpoint over the real Redis)", () =>
  redisBacked("rest", async () => {
    const token = "test-token";
    const server = await startFakeUpstashRest(token);
    return {
      cache: new UpstashCache(rawUpstashRedis(server.url, token), "upstash"),
      close: () => server.close(),
    };
  }),
);
