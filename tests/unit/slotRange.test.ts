import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_MS, slotOf, slotStart } from "../../server/inventory/slotBitmap";
import { daySegments, isSlotAligned, rangeEnd } from "../../server/inventory/slotRange";

const DAY_MS = 86_400_000;
// Half hours between 1970 and 2200.
const startArb = fc.integer({ min: 0, max: 200 * 365 * 48 }).map((n) => new Date(n * SLOT_MS));
const slotsArb = fc.integer({ min: 1, max: 150 });

describe("daySegments", () => {
  it("covers exactly `slots` consecutive half hours, in order, split at UTC midnight", () => {
    fc.assert(
      fc.property(startArb, slotsArb, (start, slots) => {
        const segments = daySegments({ start, slots });
        // Flattened, the segments are the range's half hours one after another.
        const instants = segments.flatMap((s) => s.indices.map((i) => slotStart(s.day, i)));
        expect(instants).toHaveLength(slots);
        instants.forEach((at, n) => {
          expect(at.getTime()).toBe(start.getTime() + n * SLOT_MS);
        });
        // One segment per UTC day touched, days strictly increasing and consecutive.
        const firstDay = Date.parse(`${segments[0]!.day}T00:00:00Z`);
        const lastDay = Date.parse(`${segments.at(-1)!.day}T00:00:00Z`);
        expect(firstDay).toBe(Math.floor(start.getTime() / DAY_MS) * DAY_MS);
        expect(lastDay).toBe(
          Math.floor((start.getTime() + (slots - 1) * SLOT_MS) / DAY_MS) * DAY_MS,
        );
        expect(segments).toHaveLength((lastDay - firstDay) / DAY_MS + 1);
        segments.forEach((segment, k) => {
          expect(Date.parse(`${segment.day}T00:00:00Z`)).toBe(firstDay + k * DAY_MS);
          expect(segment.indices.length).toBeGreaterThan(0);
          // Inside a day: consecutive indices; every segment but the first starts at 0,
          // every segment but the last ends at 47.
          segment.indices.forEach((i, j) => {
            if (j > 0) expect(i).toBe(segment.indices[j - 1]! + 1);
          });
          if (k > 0) expect(segment.indices[0]).toBe(0);
          if (k < segments.length - 1) expect(segment.indices.at(-1)).toBe(47);
        });
        expect(segments[0]!.indices[0]).toBe(slotOf(start).index);
        expect(rangeEnd({ start, slots }).getTime()).toBe(start.getTime() + slots * SLOT_MS);
      }),
    );
  });

  it("gives one segment inside a day and two for a lesson over midnight", () => {
    expect(daySegments({ start: new Date("2025-11-24T14:30:00Z"), slots: 2 })).toEqual([
      { day: "2025-11-24", indices: [29, 30] },
    ]);
    expect(daySegments({ start: new Date("2025-11-24T23:00:00Z"), slots: 4 })).toEqual([
      { day: "2025-11-24", indices: [46, 47] },
      { day: "2025-11-25", indices: [0, 1] },
    ]);
    expect(daySegments({ start: new Date("2025-11-24T23:30:00Z"), slots: 1 })).toEqual([
      { day: "2025-11-24", indices: [47] },
    ]);
    expect(daySegments({ start: new Date("2025-11-25T00:00:00Z"), slots: 48 })).toEqual([
      { day: "2025-11-25", indices: Array.from({ length: 48 }, (_, i) => i) },
    ]);
    // Across a month and a year boundary.
    expect(daySegments({ start: new Date("2025-12-31T23:30:00Z"), slots: 2 })).toEqual([
      { day: "2025-12-31", indices: [47] },
      { day: "2026-01-01", indices: [0] },
    ]);
  });

  it("rejects misaligned starts", () => {
    fc.assert(
      fc.property(
        startArb,
        fc.integer({ min: 1, max: SLOT_MS - 1 }),
        slotsArb,
        (at, off, slots) => {
          const start = new Date(at.getTime() + off);
          expect(isSlotAligned(start)).toBe(false);
          expect(() => daySegments({ start, slots })).toThrow(RangeError);
        },
      ),
    );
    expect(() => daySegments({ start: new Date(Number.NaN), slots: 1 })).toThrow(RangeError);
  });

  it("rejects counts below one and non-integer counts", () => {
    const start = new Date("2025-11-24T14:30:00Z");
    expect(isSlotAligned(start)).toBe(true);
    for (const slots of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => daySegments({ start, slots }), String(slots)).toThrow(RangeError);
    }
  });
});
