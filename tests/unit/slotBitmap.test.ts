import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addUtcDays,
  decodeDay,
  EMPTY_DAY,
  encodeDay,
  SLOTS_PER_DAY,
  SlotState,
  slotOf,
  slotStart,
  slotsInState,
} from "../../server/inventory/slotBitmap";

const stateArb = fc.constantFrom<SlotState>(0, 1, 2, 3);
const dayStatesArb = fc.array(stateArb, { minLength: 48, maxLength: 48 });
const bitsArb = fc
  .array(fc.constantFrom("0", "1"), { minLength: 96, maxLength: 96 })
  .map((chars) => chars.join(""));

describe("decodeDay / encodeDay", () => {
  it("has 48 slots per day and the documented state values", () => {
    expect(SLOTS_PER_DAY).toBe(48);
    expect(SlotState).toEqual({ Unpublished: 0, Published: 1, Reserved: 2, Locked: 3 });
  });

  it("EMPTY_DAY is 96 zeros and decodes to 48 Unpublished slots", () => {
    expect(EMPTY_DAY).toHaveLength(96);
    expect(EMPTY_DAY).toMatch(/^0{96}$/);
    expect(decodeDay(EMPTY_DAY)).toEqual(new Array(48).fill(SlotState.Unpublished));
  });

  it("places slot i at characters 2i and 2i+1, high bit first", () => {
    const states: SlotState[] = new Array(48).fill(SlotState.Unpublished);
    states[0] = SlotState.Published; // "01"
    states[1] = SlotState.Reserved; // "10"
    states[47] = SlotState.Locked; // "11"
    const bits = encodeDay(states);
    expect(bits.slice(0, 4)).toBe("0110");
    expect(bits.slice(94)).toBe("11");
    expect(bits.slice(4, 94)).toBe("0".repeat(90));
    expect(decodeDay(`${"0".repeat(10)}10${"0".repeat(84)}`)[5]).toBe(SlotState.Reserved);
  });

  it("round-trips any array of 48 states", () => {
    fc.assert(
      fc.property(dayStatesArb, (states) => {
        const bits = encodeDay(states);
        expect(bits).toMatch(/^[01]{96}$/);
        expect(decodeDay(bits)).toEqual(states);
      }),
    );
  });

  it("round-trips any 96-character 0/1 string", () => {
    fc.assert(
      fc.property(bitsArb, (bits) => {
        const states = decodeDay(bits);
        expect(states).toHaveLength(48);
        for (const s of states) expect([0, 1, 2, 3]).toContain(s);
        expect(encodeDay(states)).toBe(bits);
      }),
    );
  });

  it("decodeDay rejects the wrong length", () => {
    expect(() => decodeDay("")).toThrow(RangeError);
    expect(() => decodeDay("0".repeat(95))).toThrow(RangeError);
    expect(() => decodeDay("0".repeat(97))).toThrow(RangeError);
    expect(() => decodeDay("0".repeat(48))).toThrow(/96 bits/);
  });

  it("decodeDay rejects characters other than 0 and 1", () => {
    expect(() => decodeDay(`2${"0".repeat(95)}`)).toThrow(RangeError);
    expect(() => decodeDay(`${"0".repeat(95)}a`)).toThrow(RangeError);
    expect(() => decodeDay(`${"0".repeat(50)} ${"1".repeat(45)}`)).toThrow(RangeError);
    expect(() => decodeDay(`${"0".repeat(94)}\n1`)).toThrow(RangeError);
  });

  it("encodeDay rejects the wrong number of slots", () => {
    expect(() => encodeDay([])).toThrow(RangeError);
    expect(() => encodeDay(new Array(47).fill(0))).toThrow(/48 slots, got 47/);
    expect(() => encodeDay(new Array(49).fill(0))).toThrow(RangeError);
  });
});

describe("slotOf / slotStart", () => {
  const days = ["2026-01-01", "2027-03-14", "2027-12-31", "2028-02-29", "2030-06-15"];

  it.each(days)("are inverses for every index on %s", (day) => {
    for (let i = 0; i < 48; i++) {
      const start = slotStart(day, i);
      expect(start.getTime()).toBe(Date.parse(`${day}T00:00:00Z`) + i * 30 * 60_000);
      expect(slotOf(start)).toEqual({ day, index: i });
    }
  });

  it("computes concrete instants", () => {
    expect(slotStart("2028-02-29", 0).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    expect(slotStart("2028-02-29", 25).toISOString()).toBe("2028-02-29T12:30:00.000Z");
    expect(slotStart("2028-02-29", 47).toISOString()).toBe("2028-02-29T23:30:00.000Z");
    expect(slotOf(new Date("2028-03-01T00:00:00Z"))).toEqual({ day: "2028-03-01", index: 0 });
    expect(slotOf(new Date("2027-12-31T23:30:00Z"))).toEqual({ day: "2027-12-31", index: 47 });
    expect(slotOf(new Date("1969-12-31T23:30:00Z"))).toEqual({ day: "1969-12-31", index: 47 });
  });

  it("slotOf(slotStart(...)) holds for any half hour between 1970 and 2100", () => {
    const halfHours = Math.floor(Date.UTC(2100, 0, 1) / 1_800_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: halfHours }), (n) => {
        const at = new Date(n * 1_800_000);
        const { day, index } = slotOf(at);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(48);
        expect(day).toBe(at.toISOString().slice(0, 10));
        expect(slotStart(day, index).getTime()).toBe(at.getTime());
      }),
    );
  });

  it("slotOf rejects instants not on a half hour", () => {
    expect(() => slotOf(new Date("2027-01-01T10:15:00Z"))).toThrow(RangeError);
    expect(() => slotOf(new Date("2027-01-01T10:00:01Z"))).toThrow(/not on a half hour/);
    expect(() => slotOf(new Date("2027-01-01T10:29:59.999Z"))).toThrow(RangeError);
    expect(() => slotOf(new Date("2027-01-01T10:30:00.001Z"))).toThrow(RangeError);
  });

  it("slotStart rejects indices outside 0..47 and non-integers", () => {
    expect(() => slotStart("2027-01-01", -1)).toThrow(RangeError);
    expect(() => slotStart("2027-01-01", 48)).toThrow(RangeError);
    expect(() => slotStart("2027-01-01", 1.5)).toThrow(RangeError);
    expect(() => slotStart("2027-01-01", Number.NaN)).toThrow(RangeError);
  });
});

describe("slotsInState", () => {
  it("returns the start instants of exactly the slots in that state", () => {
    const states: SlotState[] = new Array(48).fill(SlotState.Unpublished);
    states[2] = SlotState.Published;
    states[3] = SlotState.Reserved;
    states[40] = SlotState.Published;
    const bits = encodeDay(states);
    expect(
      slotsInState("2027-05-01", bits, SlotState.Published).map((d) => d.toISOString()),
    ).toEqual(["2027-05-01T01:00:00.000Z", "2027-05-01T20:00:00.000Z"]);
    expect(
      slotsInState("2027-05-01", bits, SlotState.Reserved).map((d) => d.toISOString()),
    ).toEqual(["2027-05-01T01:30:00.000Z"]);
    expect(slotsInState("2027-05-01", bits, SlotState.Locked)).toEqual([]);
    expect(slotsInState("2027-05-01", bits, SlotState.Unpublished)).toHaveLength(45);
  });

  it("matches the decoded states for any day", () => {
    fc.assert(
      fc.property(dayStatesArb, stateArb, (states, state) => {
        const got = slotsInState("2028-02-29", encodeDay(states), state).map(
          (d) => slotOf(d).index,
        );
        const want = states.flatMap((s, i) => (s === state ? [i] : []));
        expect(got).toEqual(want);
      }),
    );
  });

  it("rejects malformed bits", () => {
    expect(() => slotsInState("2027-05-01", "0101", SlotState.Published)).toThrow(RangeError);
  });
});

describe("addUtcDays", () => {
  it("crosses month and year ends", () => {
    expect(addUtcDays("2027-01-31", 1)).toBe("2027-02-01");
    expect(addUtcDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addUtcDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addUtcDays("2028-02-29", 1)).toBe("2028-03-01");
    expect(addUtcDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addUtcDays("2028-01-01", -1)).toBe("2027-12-31");
    expect(addUtcDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(addUtcDays("2027-06-15", 0)).toBe("2027-06-15");
    expect(addUtcDays("2027-11-05", 55)).toBe("2027-12-30");
    expect(addUtcDays("2027-01-01", 365)).toBe("2028-01-01");
    expect(addUtcDays("2028-01-01", 366)).toBe("2029-01-01");
  });

  it("is additive", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: -2000, max: 2000 }),
        (a, b) => {
          expect(addUtcDays(addUtcDays("2027-07-01", a), b)).toBe(addUtcDays("2027-07-01", a + b));
        },
      ),
    );
  });
});
