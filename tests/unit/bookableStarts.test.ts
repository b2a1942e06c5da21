import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bookableStarts, longestBookable } from "../../server/inventory/bookableStarts";
import { SLOT_MS } from "../../server/inventory/slotBitmap";

const at = (iso: string) => new Date(iso);
const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString());

/** Free half hours 10:00, 10:30, 11:00, 11:30 (a 2-hour run), then a gap, then 13:00, 13:30. */
const DAY = [
  "2025-11-24T10:00:00.000Z",
  "2025-11-24T10:30:00.000Z",
  "2025-11-24T11:00:00.000Z",
  "2025-11-24T11:30:00.000Z",
  "2025-11-24T13:00:00.000Z",
  "2025-11-24T13:30:00.000Z",
].map(at);

describe("bookableStarts", () => {
  it("length 1 is every free half hour", () => {
    expect(iso(bookableStarts(DAY, 1))).toEqual(iso(DAY));
  });

  it("lengths 2..4 need that many consecutive free half hours; gaps break runs", () => {
    expect(iso(bookableStarts(DAY, 2))).toEqual([
      "2025-11-24T10:00:00.000Z",
      "2025-11-24T10:30:00.000Z",
      "2025-11-24T11:00:00.000Z",
      "2025-11-24T13:00:00.000Z",
    ]);
    expect(iso(bookableStarts(DAY, 3))).toEqual([
      "2025-11-24T10:00:00.000Z",
      "2025-11-24T10:30:00.000Z",
    ]);
    expect(iso(bookableStarts(DAY, 4))).toEqual(["2025-11-24T10:00:00.000Z"]);
    expect(bookableStarts(DAY, 5)).toEqual([]);
  });

  it("a run of 4 free half hours gives 4, 3, 2 and 1 starts for 30 to 120 minutes", () => {
    const run = DAY.slice(0, 4);
    expect([1, 2, 3, 4].map((n) => bookableStarts(run, n).length)).toEqual([4, 3, 2, 1]);
  });

  it("slots an hour apart are not consecutive", () => {
    const hourly = [at("2025-11-24T10:00:00Z"), at("2025-11-24T11:00:00Z")];
    expect(bookableStarts(hourly, 2)).toEqual([]);
    expect(bookableStarts(hourly, 1)).toHaveLength(2);
  });

  it("counts slots on two UTC days as consecutive across midnight", () => {
    const overMidnight = ["2025-11-24T23:00:00Z", "2025-11-24T23:30:00Z", "2025-11-25T00:00:00Z"]
      .map(at)
      .concat(at("2025-11-25T00:30:00Z"));
    expect(iso(bookableStarts(overMidnight, 4))).toEqual(["2025-11-24T23:00:00.000Z"]);
    expect(iso(bookableStarts(overMidnight, 2))).toEqual([
      "2025-11-24T23:00:00.000Z",
      "2025-11-24T23:30:00.000Z",
      "2025-11-25T00:00:00.000Z",
    ]);
  });

  it("accepts unsorted input with duplicates and returns sorted distinct starts", () => {
    const messy = [DAY[3]!, DAY[0]!, DAY[2]!, DAY[0]!, new Date(DAY[1]!.getTime()), DAY[5]!];
    expect(iso(bookableStarts(messy, 1))).toEqual(
      iso([DAY[0]!, DAY[1]!, DAY[2]!, DAY[3]!, DAY[5]!]),
    );
    expect(iso(bookableStarts(messy, 4))).toEqual(["2025-11-24T10:00:00.000Z"]);
    expect(iso(bookableStarts([...messy, ...messy], 2))).toEqual([
      "2025-11-24T10:00:00.000Z",
      "2025-11-24T10:30:00.000Z",
      "2025-11-24T11:00:00.000Z",
    ]);
  });

  it("returns fresh dates and leaves the input alone", () => {
    const input = [DAY[1]!, DAY[0]!];
    const out = bookableStarts(input, 1);
    expect(out[0]).not.toBe(DAY[0]);
    expect(input).toEqual([DAY[1], DAY[0]]);
  });

  it("handles empty input and ignores invalid dates", () => {
    expect(bookableStarts([], 1)).toEqual([]);
    expect(iso(bookableStarts([new Date(Number.NaN), DAY[0]!], 1))).toEqual([iso(DAY)[0]]);
  });

  it("rejects lengths that are not a positive whole number of half hours", () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => bookableStarts(DAY, n), String(n)).toThrow(RangeError);
    }
  });

  it("property: returns exactly the starts whose half hours are all free, sorted", () => {
    const base = Date.parse("2025-11-24T00:00:00Z");
    fc.assert(
      fc.property(
        // Half-hour offsets within ~4 days, with repeats, in any order.
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 4 }),
        (offsets, length) => {
          const free = offsets.map((n) => new Date(base + n * SLOT_MS));
          const freeSet = new Set(free.map((d) => d.getTime()));
          const allFree = (start: number) =>
            Array.from({ length }, (_, k) => start + k * SLOT_MS).every((t) => freeSet.has(t));
          const out = bookableStarts(free, length).map((d) => d.getTime());
          // Sound: every returned start has all its half hours in the input.
          for (const t of out) expect(allFree(t)).toBe(true);
          // Complete: every start whose half hours are all free is returned.
          const expected = [...freeSet].filter(allFree).sort((a, b) => a - b);
          expect(out).toEqual(expected);
          // Sorted and distinct.
          for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
          // Longer lessons have no more starts than shorter ones, and are a subset.
          const shorter = new Set(
            bookableStarts(free, Math.max(1, length - 1)).map((d) => d.getTime()),
          );
          for (const t of out) expect(shorter.has(t)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("longestBookable", () => {
  it("is the longest length up to the cap with at least one start", () => {
    expect(longestBookable(DAY, 4)).toBe(4);
    expect(longestBookable(DAY.slice(1), 4)).toBe(3);
    expect(longestBookable(DAY.slice(3), 4)).toBe(2);
    expect(longestBookable(DAY, 2)).toBe(2);
    expect(longestBookable([DAY[0]!], 4)).toBe(1);
    expect(longestBookable([], 4)).toBe(0);
  });
});
