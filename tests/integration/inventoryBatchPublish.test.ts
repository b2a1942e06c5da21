import { and, asc, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { teacherDays } from "../../db/schema";
import type { CalendarOwner } from "../../server/inventory/calendarAccess";
import {
  applyAvailabilityPattern,
  type PatternInput,
} from "../../server/inventory/scheduleService";
import { EMPTY_DAY, SlotState, setRange, stateAt } from "../../server/inventory/slotBitmap";
import type { SlotAction } from "../../server/inventory/slotTransitions";
import { transitionSlots } from "../../server/inventory/transitionSlots";
import type { WeeklyWindow } from "../../server/inventory/weeklyAvailability";
import { createTeacher } from "../fixtures";

const { Unpublished, Published, Reserved, Locked } = SlotState;
const SLOT_MS = 1_800_000;

async function ownerIn(timeZone: string): Promise<CalendarOwner> {
  const { teacher } = await createTeacher({ timeZone });
  return { teacherId: teacher.id, timeZone, status: "approved" };
}

async function rowsOf(teacherId: string) {
  return getDb()
    .select()
    .from(teacherDays)
    .where(eq(teacherDays.teacherId, teacherId))
    .orderBy(asc(teacherDays.day));
}

async function slotsOn(teacherId: string, day: string) {
  const [row] = await getDb()
    .select({ slots: teacherDays.slots })
    .from(teacherDays)
    .where(and(eq(teacherDays.teacherId, teacherId), eq(teacherDays.day, day)));
  return row?.slots;
}

function transition(teacherId: string, start: string, slots: number, action: SlotAction) {
  return getDb().transaction((tx) =>
    transitionSlots(tx, teacherId, { start: new Date(start), slots }, action),
  );
}

const pattern = (input: Partial<PatternInput> & Pick<PatternInput, "from" | "to">) => ({
  windows: [],
  additions: [],
  removals: [],
  dryRun: false,
  ...input,
});

const MON_SAT: WeeklyWindow[] = ([1, 2, 3, 4, 5, 6] as const).map((weekday) => ({
  weekday,
  start: "08:00",
  end: "22:00",
}));

/**
 * The slots Mon–Sat 08:00–22:00 local covers, worked out with Temporal alone (no server code):
 * UTC day → slot indices. Only valid for zones whose clocks do not change between 08 and 22.
 */
function expectedMonSat(timeZone: string, from: string, to: string, now: Date) {
  const byDay = new Map<string, Set<number>>();
  const last = Temporal.PlainDate.from(to);
  for (let d = Temporal.PlainDate.from(from); Temporal.PlainDate.compare(d, last) <= 0; ) {
    if (d.dayOfWeek <= 6) {
      const opens = d.toZonedDateTime({ timeZone, plainTime: "08:00" }).epochMilliseconds;
      for (let k = 0; k < 28; k++) {
        const t = opens + k * SLOT_MS;
        if (t < now.getTime()) continue;
        const iso = new Date(t).toISOString();
        const day = iso.slice(0, 10);
        const index = (t - Date.parse(`${day}T00:00:00Z`)) / SLOT_MS;
        byDay.set(day, (byDay.get(day) ?? new Set()).add(index));
      }
    }
    d = d.add({ days: 1 });
  }
  return byDay;
}

describe("applyAvailabilityPattern over a full year", () => {
  it("writes one row per touched day (≤ 366), the exact slots, and correct counts; a rerun writes nothing", async () => {
    const timeZone = "Europe/London";
    const owner = await ownerIn(timeZone);
    const now = new Date();
    const today = Temporal.Now.plainDateISO(timeZone);
    const from = today.toString();
    const to = today.add({ days: 364 }).toString(); // 365 days, the longest allowed
    const expected = expectedMonSat(timeZone, from, to, now);
    const expectedSlots = [...expected.values()].reduce((n, s) => n + s.size, 0);

    const first = await applyAvailabilityPattern(
      getDb(),
      owner,
      pattern({ windows: MON_SAT, from, to }),
      now,
    );
    expect(first).toEqual({
      published: expectedSlots,
      alreadyPublished: 0,
      unpublished: 0,
      skipped: 0,
      rowsWritten: expected.size,
    });
    expect(first.rowsWritten).toBeLessThanOrEqual(366);
    const rows = await rowsOf(owner.teacherId);
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const indices = expected.get(row.day);
      expect(indices, row.day).toBeDefined();
      const want = [...indices!].reduce((bits, i) => setRange(bits, i, 1, Published), EMPTY_DAY);
      expect(row.slots, row.day).toBe(want);
      expect(row.version).toBe(1);
    }

    const again = await applyAvailabilityPattern(
      getDb(),
      owner,
      pattern({ windows: MON_SAT, from, to }),
      now,
    );
    expect(again).toEqual({
      published: 0,
      alreadyPublished: expectedSlots,
      unpublished: 0,
      skipped: 0,
      rowsWritten: 0,
    });
    expect(await rowsOf(owner.teacherId)).toEqual(rows);
  });

  it("west of UTC, where evenings spill into the next UTC day, still writes at most 366 rows", async () => {
    // The longest range, 365 local days, in New York, Mon–Sat 08:00–22:00 local (13:00–03:00Z
    // in winter): the last local evening spills onto one more UTC day, and that must still fit.
    const timeZone = "America/New_York";
    const owner = await ownerIn(timeZone);
    const now = new Date("2030-01-07T12:00:00Z"); // a Monday, 07:00 in New York
    const from = "2030-01-07";
    const to = "2031-01-06"; // 365 local days
    const outcome = await applyAvailabilityPattern(
      getDb(),
      owner,
      pattern({ windows: MON_SAT, from, to }),
      now,
    );
    expect(outcome.published).toBe(
      [...expectedMonSat(timeZone, from, to, now).values()].reduce((n, s) => n + s.size, 0),
    );
    expect((await rowsOf(owner.teacherId)).length).toBe(outcome.rowsWritten);
    expect(outcome.rowsWritten).toBeLessThanOrEqual(366);
  });
});

describe("applyAvailabilityPattern around existing state", () => {
  // London is on GMT in February, so local times are UTC: Monday 09:00–12:00 is slots 18..23.
  const day = "2027-02-01";
  const mondayMorning = {
    windows: [{ weekday: 1, start: "09:00", end: "12:00" }] as WeeklyWindow[],
    from: day,
    to: "2027-02-07",
  };
  const at = (index: number) => new Date(Date.parse(`${day}T00:00:00Z`) + index * SLOT_MS);
  const morning = [18, 19, 20, 21, 22, 23];
  const statesOf = (bits: string | undefined) => morning.map((i) => stateAt(bits ?? EMPTY_DAY, i));

  it("counts reserved and locked slots as skipped and leaves them as they are", async () => {
    const owner = await ownerIn("Europe/London");
    await transition(owner.teacherId, `${day}T09:30:00Z`, 1, "lock"); // 19: unpublished → locked
    await transition(owner.teacherId, `${day}T10:30:00Z`, 2, "publish"); // 21, 22
    await transition(owner.teacherId, `${day}T10:30:00Z`, 1, "reserve"); // 21

    const outcome = await applyAvailabilityPattern(getDb(), owner, pattern(mondayMorning));
    expect(outcome).toEqual({
      published: 3, // 18, 20, 23
      alreadyPublished: 1, // 22
      unpublished: 0,
      skipped: 2, // 19 locked, 21 reserved
      rowsWritten: 1,
    });
    expect(statesOf(await slotsOn(owner.teacherId, day))).toEqual([
      Published,
      Locked,
      Published,
      Reserved,
      Published,
      Published,
    ]);
  });

  it("removals win over the pattern", async () => {
    const owner = await ownerIn("Europe/London");
    await transition(owner.teacherId, `${day}T11:00:00Z`, 1, "publish"); // 22, published before
    const removals = [
      { start: at(20), slots: 1 },
      { start: at(22), slots: 1 },
    ];
    await applyAvailabilityPattern(getDb(), owner, pattern({ ...mondayMorning, removals }));
    expect(statesOf(await slotsOn(owner.teacherId, day))).toEqual([
      Published,
      Published,
      Unpublished,
      Published,
      Unpublished,
      Published,
    ]);
  });

  it("counts what a removal inside the pattern really did, once per slot", async () => {
    // Bug report: a slot both in the pattern and in the removals is counted by both steps.
    const owner = await ownerIn("Europe/London");
    await transition(owner.teacherId, `${day}T11:00:00Z`, 1, "publish"); // 22, published before
    await transition(owner.teacherId, `${day}T11:30:00Z`, 1, "publish"); // 23
    await transition(owner.teacherId, `${day}T11:30:00Z`, 1, "reserve"); // 23, reserved
    const removals = [
      { start: at(20), slots: 1 }, // never published: nothing happens to it
      { start: at(22), slots: 2 }, // 22 gets unpublished; 23 is reserved, left alone
    ];
    const outcome = await applyAvailabilityPattern(
      getDb(),
      owner,
      pattern({ ...mondayMorning, removals }),
    );
    expect(outcome).toEqual({
      published: 3, // 18, 19, 21
      alreadyPublished: 0,
      unpublished: 1, // 22
      skipped: 1, // 23
      rowsWritten: 1,
    });
  });

  it("publishes one-off additions outside the weekly windows", async () => {
    const owner = await ownerIn("Europe/London");
    const additions = [{ start: new Date("2027-02-03T15:00:00Z"), slots: 3 }]; // a Wednesday
    const outcome = await applyAvailabilityPattern(
      getDb(),
      owner,
      pattern({ ...mondayMorning, additions }),
    );
    expect(outcome).toMatchObject({ published: 9, rowsWritten: 2 });
    expect(await slotsOn(owner.teacherId, "2027-02-03")).toBe(
      setRange(EMPTY_DAY, 30, 3, Published),
    );
  });

  it("dryRun writes nothing and reports what the real run then does", async () => {
    const owner = await ownerIn("Europe/London");
    await transition(owner.teacherId, `${day}T09:30:00Z`, 1, "lock");
    await transition(owner.teacherId, `${day}T10:30:00Z`, 2, "publish");
    await transition(owner.teacherId, `${day}T10:30:00Z`, 1, "reserve");
    const input = {
      ...mondayMorning,
      to: "2027-02-28", // four Mondays, three of them without a row yet
      additions: [{ start: new Date("2027-02-10T08:00:00Z"), slots: 2 }],
      removals: [{ start: new Date("2027-02-15T09:00:00Z"), slots: 1 }],
    };
    const before = await rowsOf(owner.teacherId);

    const preview = await applyAvailabilityPattern(
      getDb(),
      owner,
      pattern({ ...input, dryRun: true }),
    );
    expect(await rowsOf(owner.teacherId)).toEqual(before);

    const real = await applyAvailabilityPattern(getDb(), owner, pattern(input));
    // rowsWritten is what was written, so a preview reports 0 (PlanOutcome's contract).
    expect(preview).toEqual({ ...real, rowsWritten: 0 });
    // The four Mondays and the Wednesday of the addition; the lock and the hold stay put.
    expect(real).toMatchObject({ skipped: 2, rowsWritten: 5 });
    expect(await slotsOn(owner.teacherId, "2027-02-15")).toBe(
      setRange(EMPTY_DAY, 19, 5, Published),
    );
  });
});
