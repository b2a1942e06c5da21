import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertRange,
  countByState,
  decodeDay,
  EMPTY_DAY,
  encodeDay,
  SLOT_MS,
  SlotState,
  setRange,
  slotMask,
  slotOf,
  slotStart,
  stateAt,
} from "../../server/inventory/slotBitmap";

const stateArb = fc.constantFrom<SlotState>(0, 1, 2, 3);
const statesArb = fc.array(stateArb, { minLength: 48, maxLength: 48 });
const bitsArb = fc
  .array(fc.constantFrom("0", "1"), { minLength: 96, maxLength: 96 })
  .map((chars) => chars.join(""));
/** A range inside one day: from + count ≤ 48, count ≥ 1. */
const rangeArb = fc
  .integer({ min: 0, max: 47 })
  .chain((from) => fc.tuple(fc.constant(from), fc.integer({ min: 1, max: 48 - from })));

describe("encodeDay / decodeDay round trips", () => {
  it("decode ∘ encode is the identity on states and encode ∘ decode on bits", () => {
    fc.assert(
      fc.property(statesArb, bitsArb, (states, bits) => {
        expect(decodeDay(encodeDay(states))).toEqual(states);
        expect(encodeDay(decodeDay(bits))).toBe(bits);
      }),
    );
  });

  it("stateAt reads the same state as decodeDay at every index", () => {
    fc.assert(
      fc.property(bitsArb, (bits) => {
        const states = decodeDay(bits);
        for (let i = 0; i < 48; i++) expect(stateAt(bits, i)).toBe(states[i]);
      }),
    );
  });

  it("rejects malformed days", () => {
    for (const bad of [
      "",
      "0".repeat(95),
      "0".repeat(97),
      `2${"0".repeat(95)}`,
      `${"0".repeat(94)}  `,
    ]) {
      expect(() => decodeDay(bad)).toThrow(RangeError);
    }
    expect(() => encodeDay(new Array(47).fill(0))).toThrow(RangeError);
    expect(() => encodeDay(new Array(49).fill(0))).toThrow(RangeError);
    for (const bad of [-1, 48, 0.5]) expect(() => stateAt(EMPTY_DAY, bad)).toThrow(RangeError);
  });
});

describe("setRange", () => {
  it("sets exactly the range and leaves every other slot's bits alone", () => {
    fc.assert(
      fc.property(bitsArb, rangeArb, stateArb, (bits, [from, count], state) => {
        const after = setRange(bits, from, count, state);
        expect(after).toMatch(/^[01]{96}$/);
        const before = decodeDay(bits);
        const now = decodeDay(after);
        for (let i = 0; i < 48; i++) {
          if (i >= from && i < from + count) expect(now[i], `slot ${i}`).toBe(state);
          else expect(now[i], `slot ${i}`).toBe(before[i]);
        }
      }),
    );
  });

  it("is idempotent and the last write to a slot wins", () => {
    fc.assert(
      fc.property(bitsArb, rangeArb, rangeArb, stateArb, stateArb, (bits, a, b, s1, s2) => {
        const once = setRange(bits, a[0], a[1], s1);
        expect(setRange(once, a[0], a[1], s1)).toBe(once);
        const both = decodeDay(setRange(once, b[0], b[1], s2));
        for (let i = b[0]; i < b[0] + b[1]; i++) expect(both[i]).toBe(s2);
      }),
    );
  });

  it("rejects ranges that leave the day or are empty", () => {
    const bad: [number, number][] = [
      [-1, 1],
      [0, 0],
      [0, 49],
      [47, 2],
      [48, 1],
      [1.5, 1],
      [0, 1.5],
      [0, -3],
    ];
    for (const [from, count] of bad) {
      expect(
        () => setRange(EMPTY_DAY, from, count, SlotState.Published),
        `${from}+${count}`,
      ).toThrow(RangeError);
      expect(() => assertRange(from, count)).toThrow(RangeError);
    }
    expect(() => assertRange(0, 48)).not.toThrow();
    expect(() => assertRange(47, 1)).not.toThrow();
  });
});

describe("countByState", () => {
  it("sums to 48 and equals an independent count", () => {
    fc.assert(
      fc.property(statesArb, (states) => {
        const counts = countByState(encodeDay(states));
        expect(counts[0] + counts[1] + counts[2] + counts[3]).toBe(48);
        for (const s of [0, 1, 2, 3] as const) {
          expect(counts[s]).toBe(states.filter((x) => x === s).length);
        }
      }),
    );
  });

  it("moves count from old states to the new one after setRange", () => {
    fc.assert(
      fc.property(statesArb, rangeArb, stateArb, (states, [from, count], state) => {
        const after = countByState(setRange(encodeDay(states), from, count, state));
        const expected = { 0: 0, 1: 0, 2: 0, 3: 0 };
        states.forEach((s, i) => {
          expected[i >= from && i < from + count ? state : s] += 1;
        });
        expect(after).toEqual(expected);
      }),
    );
  });
});

describe("slotMask", () => {
  it("selects both bits of exactly the given slots", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 47 }), { maxLength: 60 }), (indices) => {
        const mask = slotMask(indices);
        expect(mask).toMatch(/^[01]{96}$/);
        const chosen = new Set(indices);
        const states = decodeDay(mask);
        for (let i = 0; i < 48; i++) {
          expect(states[i]).toBe(chosen.has(i) ? SlotState.Locked : SlotState.Unpublished);
        }
      }),
    );
  });

  it("rejects indices outside the day", () => {
    for (const bad of [-1, 48, 2.5]) expect(() => slotMask([1, bad])).toThrow(RangeError);
  });
});

describe("slotOf / slotStart", () => {
  // Half hours between 1970 and 2200, so ISO days keep the YYYY-MM-DD form.
  const halfHourArb = fc.integer({ min: 0, max: 200 * 365 * 48 }).map((n) => new Date(n * SLOT_MS));

  it("round-trip every half-hour instant", () => {
    fc.assert(
      fc.property(halfHourArb, (at) => {
        const { day, index } = slotOf(at);
        expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isInteger(index) && index >= 0 && index < 48).toBe(true);
        expect(day).toBe(at.toISOString().slice(0, 10));
        expect(slotStart(day, index).getTime()).toBe(at.getTime());
      }),
    );
  });

  it("rejects instants that are not on a half hour", () => {
    fc.assert(
      fc.property(halfHourArb, fc.integer({ min: 1, max: SLOT_MS - 1 }), (at, offset) => {
        expect(() => slotOf(new Date(at.getTime() + offset))).toThrow(RangeError);
      }),
    );
  });
});
