import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheUsageError, type KeyValueCache } from "../../server/cache/port";
import { sleep } from "./support";

export interface CacheUnderTest {
  cache: KeyValueCache;
  /** Prefix for every key the suite writes; teardown removes them. */
  prefix: string;
  /** Remaining ttl in ms as the store reports it (-1 = none), when the store can tell. */
  pttl?: (key: string) => Promise<number>;
  teardown(): Promise<void>;
}

/** The contract every adapter must honour, written once and run against each of them. */
export function describeCacheBehaviour(name: string, setup: () => Promise<CacheUnderTest>): void {
  describe(`KeyValueCache behaviour: ${name}`, () => {
    let t: CacheUnderTest;
    let n = 0;
    const key = (label: string) => `${t.prefix}${label}:${n++}`;

    beforeAll(async () => {
      t = await setup();
    });
    afterAll(async () => {
      await t?.teardown();
    });

    it("answers ping", async () => {
      expect(await t.cache.ping()).toBe(true);
    });

    it("returns null for a missing key", async () => {
      expect(await t.cache.get(key("missing"))).toBeNull();
    });

    it.each([
      ["a string", "hello"],
      ["an empty string", ""],
      ["unicode", "ünïcödé 🎓 半小时"],
      ["an integer", 42],
      ["a negative float", -3.25],
      ["zero", 0],
      ["a numeric-looking string", "123"],
      ["a decimal-looking string", "1.50"],
      ["a zero-padded string", "007"],
      ["an exponent-looking string", "1e3"],
      ["a boolean-looking string", "true"],
      ["a null-looking string", "null"],
      ["a JSON-looking string", '{"a":1}'],
      ["a boolean", false],
      ["an array", [1, "2", { three: 3 }]],
      [
        "a nested object",
        { id: "t_1", slots: [{ start: "09:00", price: 1500 }], meta: { ok: true } },
      ],
    ])("round-trips %s exactly", async (_label, value) => {
      const k = key("value");
      expect(await t.cache.set(k, value)).toBe(true);
      expect(await t.cache.get(k)).toStrictEqual(value);
    });

    it("drops undefined object fields, as JSON does", async () => {
      const k = key("json");
      await t.cache.set(k, { a: 1, b: undefined });
      expect(await t.cache.get(k)).toStrictEqual({ a: 1 });
    });

    it("refuses values JSON cannot hold", async () => {
      await expect(t.cache.set(key("bad"), undefined)).rejects.toBeInstanceOf(CacheUsageError);
    });

    it("overwrites by default", async () => {
      const k = key("overwrite");
      await t.cache.set(k, "first");
      expect(await t.cache.set(k, "second")).toBe(true);
      expect(await t.cache.get(k)).toBe("second");
    });

    it("onlyIfAbsent writes once and reports the refusal", async () => {
      const k = key("nx");
      expect(await t.cache.set(k, "first", { onlyIfAbsent: true })).toBe(true);
      expect(await t.cache.set(k, "second", { onlyIfAbsent: true })).toBe(false);
      expect(await t.cache.get(k)).toBe("first");
      await t.cache.del(k);
      expect(await t.cache.set(k, "third", { onlyIfAbsent: true, ttlSeconds: 60 })).toBe(true);
      expect(await t.cache.get(k)).toBe("third");
    });

    it("expires keys after ttlSeconds", async () => {
      const k = key("ttl");
      const kept = key("kept");
      await t.cache.set(k, { v: 1 }, { ttlSeconds: 1 });
      await t.cache.set(kept, { v: 2 });
      expect(await t.cache.get(k)).toStrictEqual({ v: 1 });
      if (t.pttl) {
        const ms = await t.pttl(k);
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(1000);
        expect(await t.pttl(kept)).toBe(-1);
      }
      await sleep(1300);
      expect(await t.cache.get(k)).toBeNull();
      expect(await t.cache.get(kept)).toStrictEqual({ v: 2 });
      // An expired key counts as absent for onlyIfAbsent.
      expect(await t.cache.set(k, "again", { onlyIfAbsent: true })).toBe(true);
    });

    it("refuses a non-positive ttl", async () => {
      await expect(t.cache.set(key("ttl0"), 1, { ttlSeconds: 0 })).rejects.toBeInstanceOf(
        CacheUsageError,
      );
    });

    it("del counts only keys that existed", async () => {
      const [a, b, c] = [key("del"), key("del"), key("del")];
      await t.cache.set(a, 1);
      await t.cache.set(b, 2);
      expect(await t.cache.del(a, b, c)).toBe(2);
      expect(await t.cache.get(a)).toBeNull();
      expect(await t.cache.del(a)).toBe(0);
      expect(await t.cache.del()).toBe(0);
    });

    it("incr starts from zero and adds by", async () => {
      const k = key("incr");
      expect(await t.cache.incr(k)).toBe(1);
      expect(await t.cache.incr(k)).toBe(2);
      expect(await t.cache.incr(k, { by: 5 })).toBe(7);
      expect(await t.cache.incr(k, { by: -10 })).toBe(-3);
      expect(await t.cache.get(k)).toBe(-3);
      if (t.pttl) expect(await t.pttl(k)).toBe(-1);
    });

    it("incr continues from a number stored with set", async () => {
      const k = key("incr-set");
      await t.cache.set(k, 10);
      expect(await t.cache.incr(k)).toBe(11);
    });

    it("incr rejects on a non-integer value and on a fractional step", async () => {
      const k = key("incr-bad");
      await t.cache.set(k, "5"); // the JSON string "\"5\"", not the integer 5
      await expect(t.cache.incr(k)).rejects.toThrow();
      await expect(t.cache.incr(key("incr-frac"), { by: 1.5 })).rejects.toBeInstanceOf(
        CacheUsageError,
      );
    });

    it("incr with ttl sets the ttl on creation only, and the window then expires", async () => {
      const k = key("window");
      expect(await t.cache.incr(k, { ttlSeconds: 1 })).toBe(1);
      // A later hit with a longer ttl must not extend the window.
      expect(await t.cache.incr(k, { ttlSeconds: 3600 })).toBe(2);
      if (t.pttl) {
        const ms = await t.pttl(k);
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(1000);
      }
      await sleep(1300);
      expect(await t.cache.get(k)).toBeNull();
      expect(await t.cache.incr(k, { ttlSeconds: 60, by: 3 })).toBe(3);
      if (t.pttl) expect(await t.pttl(k)).toBeGreaterThan(1000);
    });

    it("handles concurrent increments without losing any", async () => {
      const k = key("concurrent");
      const results = await Promise.all(
        Array.from({ length: 25 }, () => t.cache.incr(k, { ttlSeconds: 60 })),
      );
      expect([...results].sort((x, y) => x - y)).toStrictEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      if (t.pttl) expect(await t.pttl(k)).toBeGreaterThan(0);
    });
  });
}
