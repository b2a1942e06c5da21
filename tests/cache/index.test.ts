import { afterEach, describe, expect, it } from "vitest";
import { closeCache, createCache, getCache } from "../../server/cache";
import { REDIS_URL } from "./support";

describe("createCache / getCache", () => {
  afterEach(async () => {
    await closeCache();
  });

  it("picks Upstash REST, then Redis, then memory", async () => {
    const caches = [
      createCache({
        REDIS_URL,
        UPSTASH_REDIS_REST_URL: "http://127.0.0.1:6390",
        UPSTASH_REDIS_REST_TOKEN: "token",
        CACHE_TIMEOUT_MS: 250,
      }),
      // A URL without its token is incomplete, so Redis wins.
      createCache({ REDIS_URL, UPSTASH_REDIS_REST_URL: "http://x.test", CACHE_TIMEOUT_MS: 250 }),
      createCache({ CACHE_TIMEOUT_MS: 250 }),
    ];
    expect(caches.map((c) => c.kind)).toStrictEqual(["upstash", "redis", "memory"]);
    await Promise.all(caches.map((c) => c.close()));
  });

  it("shares one instance per process until closed", async () => {
    const first = getCache();
    expect(getCache()).toBe(first);
    await closeCache();
    expect(getCache()).not.toBe(first);
  });
});
