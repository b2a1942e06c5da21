import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  localToday,
  slotsForWeeklyPattern,
  type WeeklyWindow,
} from "../../server/inventory/weeklyAvailability";

type Weekday = WeeklyWindow["weekday"];

/** The Map as plain entries sorted by day, for readable equality checks. */
function entries(map: Map<string, number[]>): [string, number[]][] {
  return [...map].sort(([a], [b]) => a.localeCompare(b));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const monday = (start: string, end: string): WeeklyWindow => ({ weekday: 1, start, end });
const sunday = (start: string, end: string): WeeklyWindow => ({ weekday: 7, start, end });

describe("slotsForWeeklyPattern: Europe/London", () => {
  it("winter (GMT, UTC+0): Monday 18:00-21:00 is 18:00-21:00 UTC, slots 36..41", () => {
    // 2027-01-11 is a Monday; London is on GMT, so 18:00 local = 18:00 UTC = index 36.
    const got = slotsForWeeklyPattern(
      [monday("18:00", "21:00")],
      "Europe/London",
      "2027-01-11",
      "2027-01-11",
    );
    expect(entries(got)).toEqual([["2027-01-11", [36, 37, 38, 39, 40, 41]]]);
  });

  it("summer (BST, UTC+1): Monday 18:00-21:00 is 17:00-20:00 UTC, slots 34..39", () => {
    // 2027-07-12 is a Monday; BST is UTC+1, so 18:00 local = 17:00 UTC = index 34.
    const got = slotsForWeeklyPattern(
      [monday("18:00", "21:00")],
      "Europe/London",
      "2027-07-12",
      "2027-07-12",
    );
    expect(entries(got)).toEqual([["2027-07-12", [34, 35, 36, 37, 38, 39]]]);
  });

  it("a whole-day window on the spring-forward Sunday has 23 real hours", () => {
    // 2027-03-28: clocks go 01:00 GMT -> 02:00 BST. 00:00 local = 00:00 UTC; 24:00 local =
    // 2027-03-29 00:00 BST = 2027-03-28 23:00 UTC. 23 hours = 46 slots, indices 0..45.
    const got = slotsForWeeklyPattern(
      [sunday("00:00", "24:00")],
      "Europe/London",
      "2027-03-28",
      "2027-03-28",
    );
    expect(entries(got)).toEqual([["2027-03-28", range(0, 45)]]);
  });
});

describe("slotsForWeeklyPattern: America/New_York", () => {
  const zone = "America/New_York";

  it("March DST start: Sunday 01:00-04:00 local is only 2 real hours (4 slots)", () => {
    // 2027-03-14: 02:00 EST jumps to 03:00 EDT. 01:00 EST = 06:00 UTC; 04:00 EDT = 08:00 UTC.
    // 06:00..07:30 UTC starts -> indices 12..15.
    const got = slotsForWeeklyPattern([sunday("01:00", "04:00")], zone, "2027-03-14", "2027-03-14");
    expect(entries(got)).toEqual([["2027-03-14", [12, 13, 14, 15]]]);
  });

  it("March DST start: a window starting at the gap keeps only the real hour after it", () => {
    // 02:00-04:00 local: 02:00-03:00 does not exist, 03:00-04:00 EDT = 07:00-08:00 UTC.
    const got = slotsForWeeklyPattern([sunday("02:00", "04:00")], zone, "2027-03-14", "2027-03-14");
    expect(entries(got)).toEqual([["2027-03-14", [14, 15]]]);
  });

  it("March DST start: a window lying entirely in the skipped hour publishes nothing", () => {
    // 02:00-02:30 and 02:00-03:00 local never happen on 2027-03-14 (documented: "gaps publish
    // nothing that does not exist").
    expect(
      entries(slotsForWeeklyPattern([sunday("02:00", "03:00")], zone, "2027-03-14", "2027-03-14")),
    ).toEqual([]);
    expect(
      entries(slotsForWeeklyPattern([sunday("02:00", "02:30")], zone, "2027-03-14", "2027-03-14")),
    ).toEqual([]);
  });

  it("March DST start: a window ending inside the gap does not publish the half hour after it", () => {
    // 01:00-02:30 local. Real instants whose wall clock is in [01:00, 02:30): 01:00-02:00 EST
    // = 06:00-07:00 UTC (at 07:00 UTC the clock jumps to 03:00 EDT, past 02:30).
    // Documented rule: a slot is covered only when its whole half hour lies inside the window,
    // so 03:00-03:30 EDT (07:00 UTC, index 14) must not be published. Expect indices 12, 13.
    const got = slotsForWeeklyPattern([sunday("01:00", "02:30")], zone, "2027-03-14", "2027-03-14");
    expect(entries(got)).toEqual([["2027-03-14", [12, 13]]]);
  });

  it("March DST start: a window starting inside the gap covers the real time from the jump", () => {
    // 02:30-04:00 local. Wall clock reaches >= 02:30 at the jump, 07:00 UTC (03:00 EDT), and
    // 04:00 EDT = 08:00 UTC. Slots 07:00 and 07:30 UTC (03:00-04:00 EDT) both lie inside.
    const got = slotsForWeeklyPattern([sunday("02:30", "04:00")], zone, "2027-03-14", "2027-03-14");
    expect(entries(got)).toEqual([["2027-03-14", [14, 15]]]);
  });

  it("November DST end: Sunday 01:00-04:00 local is 4 real hours (8 slots)", () => {
    // 2027-11-07: 02:00 EDT falls back to 01:00 EST. 01:00 local (first, EDT) = 05:00 UTC;
    // 04:00 EST = 09:00 UTC. 05:00..08:30 UTC starts -> indices 10..17, none doubled.
    const got = slotsForWeeklyPattern([sunday("01:00", "04:00")], zone, "2027-11-07", "2027-11-07");
    expect(entries(got)).toEqual([["2027-11-07", range(10, 17)]]);
  });

  it("Monday 18:00-21:00 EST is 23:00-02:00 UTC, split over two UTC days", () => {
    // 2027-01-11 (EST, UTC-5): 18:00 -> 23:00 UTC (indices 46, 47 of Monday),
    // 19:00..20:30 -> 00:00..01:30 UTC Tuesday (indices 0..3).
    const got = slotsForWeeklyPattern([monday("18:00", "21:00")], zone, "2027-01-11", "2027-01-11");
    expect(entries(got)).toEqual([
      ["2027-01-11", [46, 47]],
      ["2027-01-12", [0, 1, 2, 3]],
    ]);
  });

  it("Monday 18:00-21:00 EDT (after the March change) is 22:00-01:00 UTC", () => {
    // 2027-03-15 (EDT, UTC-4): 18:00 -> 22:00 UTC (44..47), then 00:00, 00:30 UTC Tuesday.
    const got = slotsForWeeklyPattern([monday("18:00", "21:00")], zone, "2027-03-15", "2027-03-15");
    expect(entries(got)).toEqual([
      ["2027-03-15", [44, 45, 46, 47]],
      ["2027-03-16", [0, 1]],
    ]);
  });

  it("Monday after the November change is back to 23:00-02:00 UTC", () => {
    const got = slotsForWeeklyPattern([monday("18:00", "21:00")], zone, "2027-11-08", "2027-11-08");
    expect(entries(got)).toEqual([
      ["2027-11-08", [46, 47]],
      ["2027-11-09", [0, 1, 2, 3]],
    ]);
  });
});

describe("slotsForWeeklyPattern: zones with non-hour offsets", () => {
  it("Asia/Kolkata (+05:30): 18:00-21:00 local is 12:30-15:30 UTC, indices 25..30", () => {
    const got = slotsForWeeklyPattern(
      [monday("18:00", "21:00")],
      "Asia/Kolkata",
      "2027-01-11",
      "2027-01-11",
    );
    expect(entries(got)).toEqual([["2027-01-11", [25, 26, 27, 28, 29, 30]]]);
  });

  it("Asia/Kathmandu (+05:45): only whole UTC half hours inside the window count", () => {
    // 18:00-21:00 local = 12:15-15:15 UTC. Whole half hours inside: starts 12:30, 13:00,
    // 13:30, 14:00, 14:30 (14:30-15:00 fits; 15:00-15:30 does not). Indices 25..29.
    const got = slotsForWeeklyPattern(
      [monday("18:00", "21:00")],
      "Asia/Kathmandu",
      "2027-01-11",
      "2027-01-11",
    );
    expect(entries(got)).toEqual([["2027-01-11", [25, 26, 27, 28, 29]]]);
  });

  it("Asia/Kathmandu: a half-hour window holds no whole UTC half hour", () => {
    // 18:00-18:30 local = 12:15-12:45 UTC: no UTC half hour fits.
    const got = slotsForWeeklyPattern(
      [monday("18:00", "18:30")],
      "Asia/Kathmandu",
      "2027-01-11",
      "2027-01-11",
    );
    expect(entries(got)).toEqual([]);
  });
});

describe("slotsForWeeklyPattern: windows, weekdays and ranges", () => {
  it('treats "24:00" as the next midnight', () => {
    // London winter: 22:00-24:00 = 22:00-00:00 UTC -> 44..47 of Monday, nothing on Tuesday.
    expect(
      entries(
        slotsForWeeklyPattern(
          [monday("22:00", "24:00")],
          "Europe/London",
          "2027-01-11",
          "2027-01-11",
        ),
      ),
    ).toEqual([["2027-01-11", [44, 45, 46, 47]]]);
    // Kolkata: 22:00-24:00 = 16:30-18:30 UTC -> 33..36.
    expect(
      entries(
        slotsForWeeklyPattern(
          [monday("22:00", "24:00")],
          "Asia/Kolkata",
          "2027-01-11",
          "2027-01-11",
        ),
      ),
    ).toEqual([["2027-01-11", [33, 34, 35, 36]]]);
    // Tokyo (+09:00): Monday 00:00-24:00 = Sunday 15:00 UTC .. Monday 15:00 UTC.
    expect(
      entries(
        slotsForWeeklyPattern([monday("00:00", "24:00")], "Asia/Tokyo", "2027-01-11", "2027-01-11"),
      ),
    ).toEqual([
      ["2027-01-10", range(30, 47)],
      ["2027-01-11", range(0, 29)],
    ]);
  });

  it("only dates on the window's ISO weekday appear", () => {
    // 2027-01-11 (Mon) .. 2027-01-24 (Sun): two Wednesdays (13th, 20th), two Sundays (17th, 24th).
    const wednesday: WeeklyWindow = { weekday: 3, start: "09:00", end: "10:00" };
    const got = slotsForWeeklyPattern([wednesday], "UTC", "2027-01-11", "2027-01-24");
    expect(entries(got)).toEqual([
      ["2027-01-13", [18, 19]],
      ["2027-01-20", [18, 19]],
    ]);
    const sundays = slotsForWeeklyPattern(
      [sunday("09:00", "10:00")],
      "UTC",
      "2027-01-11",
      "2027-01-24",
    );
    expect([...sundays.keys()].sort()).toEqual(["2027-01-17", "2027-01-24"]);
  });

  it("a one-day range uses only that day's windows", () => {
    const everyDay = ([1, 2, 3, 4, 5, 6, 7] as const).map(
      (weekday): WeeklyWindow => ({ weekday, start: "10:00", end: "11:00" }),
    );
    // 2027-01-13 is a Wednesday.
    const got = slotsForWeeklyPattern(everyDay, "UTC", "2027-01-13", "2027-01-13");
    expect(entries(got)).toEqual([["2027-01-13", [20, 21]]]);
  });

  it("an empty range or no windows gives an empty map", () => {
    expect(
      slotsForWeeklyPattern([monday("10:00", "11:00")], "UTC", "2027-01-12", "2027-01-11").size,
    ).toBe(0);
    expect(slotsForWeeklyPattern([], "UTC", "2027-01-01", "2027-12-31").size).toBe(0);
  });

  it("overlapping windows do not duplicate indices", () => {
    const got = slotsForWeeklyPattern(
      [monday("19:00", "21:00"), monday("18:00", "20:00"), monday("18:00", "21:00")],
      "Europe/London",
      "2027-01-11",
      "2027-01-11",
    );
    expect(entries(got)).toEqual([["2027-01-11", [36, 37, 38, 39, 40, 41]]]);
  });

  it("a year of a 3-window London pattern: exact day and slot counts", () => {
    // 2027 has 365 days starting on a Friday: 53 Fridays, 52 of every other weekday.
    // Monday 18:00-21:00 (6 slots), Wednesday 09:30-11:00 (3), Saturday 22:00-24:00 (4): all
    // stay on the same UTC day in both GMT and BST. 3 * 52 = 156 days; 52 * 13 = 676 slots.
    const got = slotsForWeeklyPattern(
      [
        monday("18:00", "21:00"),
        { weekday: 3, start: "09:30", end: "11:00" },
        { weekday: 6, start: "22:00", end: "24:00" },
      ],
      "Europe/London",
      "2027-01-01",
      "2027-12-31",
    );
    expect(got.size).toBe(156);
    expect([...got.values()].reduce((n, v) => n + v.length, 0)).toBe(676);
    expect(got.get("2027-01-04")).toEqual([36, 37, 38, 39, 40, 41]); // Monday, GMT
    expect(got.get("2027-06-07")).toEqual([34, 35, 36, 37, 38, 39]); // Monday, BST
    expect(got.get("2027-06-12")).toEqual([42, 43, 44, 45]); // Saturday, BST 22:00 = 21:00 UTC
  });
});

describe("slotsForWeeklyPattern: properties", () => {
  const hhmm = (halfHours: number) =>
    `${String(Math.floor(halfHours / 2)).padStart(2, "0")}:${halfHours % 2 ? "30" : "00"}`;
  const windowArb = fc
    .record({
      weekday: fc.integer({ min: 1, max: 7 }).map((n) => n as Weekday),
      start: fc.integer({ min: 0, max: 47 }),
      length: fc.integer({ min: 1, max: 16 }),
    })
    .map(({ weekday, start, length }) => ({
      weekday,
      start: hhmm(start),
      end: hhmm(Math.min(start + length, 48)),
    }));

  it("12 months of a 3-window pattern: at most 366 UTC days, sorted unique indices in 0..47", () => {
    const zones = [
      "America/New_York",
      "America/Los_Angeles",
      "Europe/London",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "Pacific/Auckland",
      "Pacific/Kiritimati",
    ];
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 3, maxLength: 3 }),
        fc.constantFrom(...zones),
        (windows, zone) => {
          const got = slotsForWeeklyPattern(windows, zone, "2027-01-01", "2027-12-31");
          expect(got.size).toBeLessThanOrEqual(366);
          for (const [day, indices] of got) {
            expect(day).toMatch(/^20(26-12-3[01]|27-\d\d-\d\d|28-01-0[12])$/);
            expect(indices.length).toBeGreaterThan(0);
            for (let i = 0; i < indices.length; i++) {
              const index = indices[i]!;
              expect(Number.isInteger(index)).toBe(true);
              expect(index).toBeGreaterThanOrEqual(0);
              expect(index).toBeLessThanOrEqual(47);
              if (i > 0) expect(index).toBeGreaterThan(indices[i - 1]!);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("in fixed-offset zones, matches a plain offset computation exactly", () => {
    // Zones without daylight saving in 2027: the UTC slots are the local half hours shifted
    // by a constant offset (minutes east of UTC).
    const offsets: [string, number][] = [
      ["Asia/Tokyo", 9 * 60],
      ["Asia/Kolkata", 5 * 60 + 30],
      ["Asia/Shanghai", 8 * 60],
      ["America/Phoenix", -7 * 60],
      ["UTC", 0],
    ];
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...offsets),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 30 }),
        (windows, [zone, offset], startDay, days) => {
          const fromMs = Date.UTC(2027, 0, 1) + startDay * 86_400_000;
          const toMs = fromMs + days * 86_400_000;
          const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
          const want = new Set<string>();
          for (let d = fromMs; d <= toMs; d += 86_400_000) {
            const weekday = ((new Date(d).getUTCDay() + 6) % 7) + 1;
            for (const w of windows) {
              if (w.weekday !== weekday) continue;
              const [sh, sm] = w.start.split(":").map(Number) as [number, number];
              const [eh, em] = w.end.split(":").map(Number) as [number, number];
              for (let m = sh * 60 + sm; m < eh * 60 + em; m += 30) {
                const utc = new Date(d + (m - offset) * 60_000);
                want.add(
                  `${iso(utc.getTime())}#${utc.getUTCHours() * 2 + utc.getUTCMinutes() / 30}`,
                );
              }
            }
          }
          const got = slotsForWeeklyPattern(windows, zone, iso(fromMs), iso(toMs));
          const flat = [...got].flatMap(([day, indices]) => indices.map((i) => `${day}#${i}`));
          expect(flat.length).toBe(new Set(flat).size);
          expect(new Set(flat)).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("localToday", () => {
  it("Pacific/Auckland (NZDT, UTC+13 in January) turns the date at 11:00 UTC", () => {
    expect(localToday("Pacific/Auckland", new Date("2027-01-15T10:59:59Z"))).toBe("2027-01-15");
    expect(localToday("Pacific/Auckland", new Date("2027-01-15T11:00:00Z"))).toBe("2027-01-16");
  });

  it("America/Los_Angeles (PST, UTC-8 in January) turns the date at 08:00 UTC", () => {
    expect(localToday("America/Los_Angeles", new Date("2027-01-15T07:59:59Z"))).toBe("2027-01-14");
    expect(localToday("America/Los_Angeles", new Date("2027-01-15T08:00:00Z"))).toBe("2027-01-15");
  });

  it("the same instant is a different date on each side of the date line", () => {
    // 2027-01-15T11:30Z: Auckland 00:30 on the 16th; Los Angeles 03:30 on the 15th.
    const now = new Date("2027-01-15T11:30:00Z");
    expect(localToday("Pacific/Auckland", now)).toBe("2027-01-16");
    expect(localToday("America/Los_Angeles", now)).toBe("2027-01-15");
    // 2027-01-15T09:00Z: Auckland 22:00 on the 15th; Los Angeles 01:00 on the 15th.
    const earlier = new Date("2027-01-15T09:00:00Z");
    expect(localToday("Pacific/Auckland", earlier)).toBe("2027-01-15");
    expect(localToday("America/Los_Angeles", earlier)).toBe("2027-01-15");
  });

  it("follows daylight saving: NZST (UTC+12) and PDT (UTC-7) in July", () => {
    expect(localToday("Pacific/Auckland", new Date("2027-07-15T11:59:59Z"))).toBe("2027-07-15");
    expect(localToday("Pacific/Auckland", new Date("2027-07-15T12:00:00Z"))).toBe("2027-07-16");
    expect(localToday("America/Los_Angeles", new Date("2027-07-15T06:59:59Z"))).toBe("2027-07-14");
    expect(localToday("America/Los_Angeles", new Date("2027-07-15T07:00:00Z"))).toBe("2027-07-15");
  });
});
