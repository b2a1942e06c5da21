import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  composeSnowflake,
  decomposeSnowflake,
  isSnowflakeId,
  SEED_WORKER,
  SNOWFLAKE_EPOCH_MS,
  seedId,
  snowflakeGenerator,
} from "../../server/ids/snowflake";

const MAX_MS = 2 ** 41 - 1;
const TWO_63 = 2n ** 63n;

describe("composeSnowflake / decomposeSnowflake", () => {
  it("uses 2026-01-01 UTC as the epoch and worker 1023 for the seed", () => {
    expect(SNOWFLAKE_EPOCH_MS).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(SEED_WORKER).toBe(1023);
  });

  it("lays out 41 bits of time, 10 of worker, 12 of sequence", () => {
    expect(composeSnowflake(0, 0, 1)).toBe("1");
    expect(composeSnowflake(0, 1, 0)).toBe("4096");
    expect(composeSnowflake(1, 0, 0)).toBe("4194304"); // 1 << 22
    expect(composeSnowflake(1, 2, 3)).toBe(String((1n << 22n) | (2n << 12n) | 3n));
    expect(composeSnowflake(MAX_MS, 1023, 4095)).toBe(String(TWO_63 - 1n));
    expect(composeSnowflake(MAX_MS, 1023, 4095)).toBe("9223372036854775807");
  });

  it("round-trips every valid (time, worker, sequence)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_MS }),
        fc.integer({ min: 0, max: 1023 }),
        fc.integer({ min: 0, max: 4095 }),
        (ms, worker, sequence) => {
          const id = composeSnowflake(ms, worker, sequence);
          const back = decomposeSnowflake(id);
          expect(back.createdAt.getTime()).toBe(ms + SNOWFLAKE_EPOCH_MS);
          expect(back.worker).toBe(worker);
          expect(back.sequence).toBe(sequence);
          const n = BigInt(id);
          expect(n).toBeGreaterThanOrEqual(0n);
          expect(n).toBeLessThan(TWO_63);
        },
      ),
    );
  });

  // ms >= 1: composeSnowflake(0, 0, 0) is "0", which the pattern (positive ids only) rejects;
  // no generator can produce it any more (it is the epoch instant itself, worker 0).
  it("ids after the epoch instant are positive decimals matching isSnowflakeId", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_MS }),
        fc.integer({ min: 0, max: 1023 }),
        fc.integer({ min: 0, max: 4095 }),
        (ms, worker, sequence) => {
          expect(isSnowflakeId(composeSnowflake(ms, worker, sequence))).toBe(true);
        },
      ),
    );
  });

  it("orders ids by time first, then worker, then sequence", () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 0, max: MAX_MS }),
          fc.integer({ min: 0, max: 1023 }),
          fc.integer({ min: 0, max: 4095 }),
        ),
        fc.tuple(
          fc.integer({ min: 0, max: MAX_MS }),
          fc.integer({ min: 0, max: 1023 }),
          fc.integer({ min: 0, max: 4095 }),
        ),
        (a, b) => {
          const cmpTuple = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
          const ia = BigInt(composeSnowflake(...a));
          const ib = BigInt(composeSnowflake(...b));
          expect(Math.sign(cmpTuple)).toBe(ia < ib ? -1 : ia > ib ? 1 : 0);
        },
      ),
    );
  });

  it("rejects out-of-range or non-integer parts", () => {
    expect(() => composeSnowflake(-1, 0, 0)).toThrow(/time out of range/);
    expect(() => composeSnowflake(2 ** 41, 0, 0)).toThrow(RangeError);
    expect(() => composeSnowflake(1.5, 0, 0)).toThrow(RangeError);
    expect(() => composeSnowflake(Number.NaN, 0, 0)).toThrow(RangeError);
    expect(() => composeSnowflake(0, -1, 0)).toThrow(/worker out of range/);
    expect(() => composeSnowflake(0, 1024, 0)).toThrow(RangeError);
    expect(() => composeSnowflake(0, 0.5, 0)).toThrow(RangeError);
    expect(() => composeSnowflake(0, 0, -1)).toThrow(/sequence out of range/);
    expect(() => composeSnowflake(0, 0, 4096)).toThrow(RangeError);
    expect(() => composeSnowflake(0, 0, 2.5)).toThrow(RangeError);
  });
});

describe("snowflakeGenerator", () => {
  /** A clock the test moves by hand. */
  function fakeClock(start: number) {
    const clock = { ms: start, now: () => clock.ms };
    return clock;
  }

  function expectStrictlyIncreasing(ids: string[]) {
    for (let i = 1; i < ids.length; i++) {
      if (!(BigInt(ids[i]!) > BigInt(ids[i - 1]!))) {
        throw new Error(`id ${i} (${ids[i]}) is not above id ${i - 1} (${ids[i - 1]})`);
      }
    }
  }

  it("stamps the clock's time and the worker", () => {
    const clock = fakeClock(Date.parse("2027-05-01T12:00:00Z"));
    const next = snowflakeGenerator(42, clock.now);
    const first = decomposeSnowflake(next());
    expect(first).toEqual({
      createdAt: new Date("2027-05-01T12:00:00Z"),
      worker: 42,
      sequence: 0,
    });
    expect(decomposeSnowflake(next()).sequence).toBe(1);
    clock.ms += 7;
    expect(decomposeSnowflake(next())).toEqual({
      createdAt: new Date(Date.parse("2027-05-01T12:00:00Z") + 7),
      worker: 42,
      sequence: 0,
    });
  });

  it("5,000 ids in one millisecond stay unique and increasing, borrowing the next ms", () => {
    const t0 = Date.parse("2027-05-01T12:00:00Z");
    const next = snowflakeGenerator(7, () => t0);
    const ids = Array.from({ length: 5_000 }, () => next());
    expectStrictlyIncreasing(ids);
    expect(new Set(ids).size).toBe(5_000);
    // The first 4096 use t0 with sequences 0..4095; the 4097th borrows t0 + 1 ms.
    expect(decomposeSnowflake(ids[4095]!)).toEqual({
      createdAt: new Date(t0),
      worker: 7,
      sequence: 4095,
    });
    expect(decomposeSnowflake(ids[4096]!)).toEqual({
      createdAt: new Date(t0 + 1),
      worker: 7,
      sequence: 0,
    });
    expect(decomposeSnowflake(ids[4999]!).createdAt.getTime()).toBe(t0 + 1);
    for (const id of ids) expect(decomposeSnowflake(id).worker).toBe(7);
  });

  it("keeps increasing when the clock steps backwards", () => {
    const clock = fakeClock(Date.parse("2027-05-01T12:00:00Z"));
    const next = snowflakeGenerator(3, clock.now);
    const ids = [next(), next()];
    clock.ms -= 5_000; // NTP step back by five seconds
    for (let i = 0; i < 10; i++) ids.push(next());
    clock.ms += 1; // still behind
    ids.push(next());
    clock.ms += 10_000; // and now ahead again
    ids.push(next());
    expectStrictlyIncreasing(ids);
    expect(decomposeSnowflake(ids[2]!).createdAt.getTime()).toBe(
      Date.parse("2027-05-01T12:00:00Z"),
    );
    expect(decomposeSnowflake(ids.at(-1)!).createdAt.getTime()).toBe(
      Date.parse("2027-05-01T12:00:05.001Z"),
    );
  });

  it("stays increasing under any sequence of clock moves", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 300 }),
        (moves, bursts) => {
          const clock = fakeClock(Date.parse("2027-05-01T12:00:00Z"));
          const next = snowflakeGenerator(5, clock.now);
          const ids: string[] = [];
          moves.forEach((move, i) => {
            clock.ms += move;
            for (let k = 0; k < (bursts[i % bursts.length] ?? 1); k++) ids.push(next());
          });
          expectStrictlyIncreasing(ids);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("stays increasing across 10,000 ids in one ms followed by a clock step back", () => {
    const clock = fakeClock(Date.parse("2027-05-01T12:00:00Z"));
    const next = snowflakeGenerator(9, clock.now);
    const ids = Array.from({ length: 10_000 }, () => next());
    clock.ms -= 1;
    for (let i = 0; i < 100; i++) ids.push(next());
    expectStrictlyIncreasing(ids);
  });
});

describe("seedId", () => {
  it("is distinct for 0..20000 and always matches isSnowflakeId", () => {
    const ids = new Set<string>();
    for (let n = 0; n <= 20_000; n++) {
      const id = seedId(n);
      expect(isSnowflakeId(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(20_001);
  });

  it("is deterministic, uses the seed worker and is increasing in n", () => {
    expect(seedId(0)).toBe(String(1023n << 12n));
    expect(seedId(1)).toBe(String((1023n << 12n) | 1n));
    expect(seedId(4096)).toBe(String((1n << 22n) | (1023n << 12n)));
    expect(seedId(1234)).toBe(seedId(1234));
    let previous = -1n;
    for (let n = 0; n <= 20_000; n += 97) {
      const id = seedId(n);
      expect(decomposeSnowflake(id).worker).toBe(SEED_WORKER);
      expect(BigInt(id)).toBeGreaterThan(previous);
      previous = BigInt(id);
    }
  });

  it("never collides with a live id from another worker", () => {
    const live = snowflakeGenerator(0, () => SNOWFLAKE_EPOCH_MS)();
    expect(decomposeSnowflake(live).worker).not.toBe(SEED_WORKER);
  });
});

describe("isSnowflakeId", () => {
  it("accepts decimal ids below 2^63 and rejects other strings", () => {
    expect(isSnowflakeId("9223372036854775807")).toBe(true);
    expect(isSnowflakeId("1")).toBe(true);
    expect(isSnowflakeId("12345678901234567890")).toBe(false); // 20 digits
    expect(isSnowflakeId("0123")).toBe(false);
    expect(isSnowflakeId("-5")).toBe(false);
    expect(isSnowflakeId("12a")).toBe(false);
    expect(isSnowflakeId("")).toBe(false);
    expect(isSnowflakeId(" 12")).toBe(false);
  });

  it("rejects 19-digit decimals at or above 2^63 (they overflow a Postgres bigint)", () => {
    // Documented: "Accepts what composeSnowflake produces: a positive decimal below 2^63".
    // The largest id is 9223372036854775807; one more does not fit the bigint column.
    expect(isSnowflakeId("9223372036854775808")).toBe(false);
    expect(isSnowflakeId("9999999999999999999")).toBe(false);
  });
});
