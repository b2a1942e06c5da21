import { describe, expect, it } from "vitest";
import { MemoryCache } from "../../server/cache/memoryCache";

/** Behaviour shared with Redis lives in behaviour.ts; these cover what only memory has. */
describe("MemoryCache", () => {
  it("evicts the oldest-written entries beyond maxEntries", async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.set("c", 3);
    await cache.set("a", 10); // rewriting makes "a" the newest
    await cache.set("d", 4);
    expect(await cache.get("b")).toBeNull();
    expect(await cache.get("a")).toBe(10);
    expect(await cache.get("c")).toBe(3);
    expect(await cache.get("d")).toBe(4);
  });

  it("keeps an incr window fixed on a controlled clock", async () => {
    let now = 1_000_000;
    const cache = new MemoryCache({ now: () => now });
    expect(await cache.incr("w", { ttlSeconds: 10 })).toBe(1);
    now += 9_000;
    expect(await cache.incr("w", { ttlSeconds: 10 })).toBe(2);
    now += 1_000;
    expect(await cache.get("w")).toBeNull();
    expect(await cache.incr("w", { ttlSeconds: 10 })).toBe(1);
  });

  it("hands out copies, so callers cannot mutate what is stored", async () => {
    const cache = new MemoryCache();
    const value = { list: [1, 2] };
    await cache.set("o", value);
    value.list.push(3);
    const first = await cache.get<{ list: number[] }>("o");
    first?.list.push(4);
    expect(await cache.get("o")).toStrictEqual({ list: [1, 2] });
  });
});
