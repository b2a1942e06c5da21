import type { AddressInfo } from "node:net";
import { connect, createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { createCache } from "../../server/cache";
import { MemoryCache } from "../../server/cache/memoryCache";
import {
  CacheUnavailableError,
  CacheUsageError,
  type KeyValueCache,
} from "../../server/cache/port";
import { resilientCache } from "../../server/cache/resilientCache";
import { CLOSED_URL, deleteByPrefix, REDIS_URL, rawClient, sleep, uniquePrefix } from "./support";

/** An adapter whose every call hangs or fails, to drive the wrapper without a network. */
function brokenCache(mode: "hang" | "throw"): KeyValueCache {
  const fail = () =>
    mode === "hang" ? new Promise<never>(() => {}) : Promise.reject(new Error("boom"));
  return { kind: "redis", get: fail, set: fail, del: fail, incr: fail, ping: fail };
}

async function expectDegraded(cache: KeyValueCache) {
  expect(await cache.get("k")).toBeNull();
  expect(await cache.set("k", { v: 1 }, { ttlSeconds: 5 })).toBe(false);
  expect(await cache.set("k", "v", { onlyIfAbsent: true })).toBe(false);
  expect(await cache.del("k", "j")).toBe(0);
  expect(await cache.ping()).toBe(false);
  await expect(cache.incr("k", { ttlSeconds: 5 })).rejects.toBeInstanceOf(CacheUnavailableError);
}

describe("resilientCache", () => {
  it("turns hangs into neutral answers after the timeout", async () => {
    await expectDegraded(resilientCache(brokenCache("hang"), { timeoutMs: 20, warn: () => {} }));
  });

  it("turns errors into neutral answers, and incr errors into CacheUnavailableError", async () => {
    const cache = resilientCache(brokenCache("throw"), { timeoutMs: 1_000, warn: () => {} });
    await expectDegraded(cache);
    const error = await cache.incr("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("warns once per burst, then reports what it held back", async () => {
    const warnings: string[] = [];
    const cache = resilientCache(brokenCache("throw"), {
      timeoutMs: 1_000,
      warnEveryMs: 60_000,
      warn: (message) => warnings.push(message),
    });
    await cache.get("a");
    await cache.get("b");
    await cache.del("c");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/\[cache:redis\] get failed.*boom/);

    const chatty = resilientCache(brokenCache("throw"), {
      timeoutMs: 1_000,
      warnEveryMs: 0,
      warn: (message) => warnings.push(message),
    });
    await chatty.get("a");
    await chatty.get("b");
    expect(warnings).toHaveLength(3);
  });

  it("lets caller bugs through instead of hiding them", async () => {
    const warnings: string[] = [];
    const cache = resilientCache(new MemoryCache(), {
      timeoutMs: 250,
      warn: (m) => warnings.push(m),
    });
    await expect(cache.set("k", undefined)).rejects.toBeInstanceOf(CacheUsageError);
    await expect(cache.set("k", 1, { ttlSeconds: -1 })).rejects.toBeInstanceOf(CacheUsageError);
    await expect(cache.incr("k", { by: 0.5 })).rejects.toBeInstanceOf(CacheUsageError);
    expect(warnings).toHaveLength(0);
  });
});

describe("createCache against a Redis that is down", () => {
  it("self-hosted Redis: answers neutrally and does not hang", async () => {
    const cache = createCache({ REDIS_URL: CLOSED_URL, CACHE_TIMEOUT_MS: 250 });
    try {
      expect(cache.kind).toBe("redis");
      await expectDegraded(cache);
      // A second round hits the already-failed connection, which must fail fast as well.
      await expectDegraded(cache);
    } finally {
      await cache.close();
    }
  });

  it("Upstash REST: answers neutrally and does not hang", async () => {
    const cache = createCache({
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:6390",
      UPSTASH_REDIS_REST_TOKEN: "token",
      CACHE_TIMEOUT_MS: 250,
    });
    try {
      expect(cache.kind).toBe("upstash");
      await expectDegraded(cache);
    } finally {
      await cache.close();
    }
  });

  it("recovers by itself once Redis is reachable again", async () => {
    // A TCP proxy to the real Redis that we can take down and bring back on the same port.
    const proxy: Server = createServer((socket) => {
      const target = new URL(REDIS_URL);
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const s of [socket, upstream]) s.on("error", () => {});
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as AddressInfo;
    await new Promise((resolve) => proxy.close(resolve));

    const prefix = uniquePrefix("recover");
    const inspector = rawClient();
    const cache = createCache({
      REDIS_URL: `redis://127.0.0.1:${port}`,
      CACHE_TIMEOUT_MS: 250,
    });
    try {
      expect(await cache.set(`${prefix}k`, "v")).toBe(false);
      await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
      let written = false;
      for (let attempt = 0; attempt < 100 && !written; attempt++) {
        written = await cache.set(`${prefix}k`, "v");
        if (!written) await sleep(100);
      }
      expect(written).toBe(true);
      expect(await cache.get(`${prefix}k`)).toBe("v");
    } finally {
      await cache.close();
      proxy.close();
      await deleteByPrefix(inspector, prefix);
      await inspector.quit();
    }
  });
});
