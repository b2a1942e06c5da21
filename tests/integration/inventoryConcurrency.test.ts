import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type DatabaseHandle, getDb } from "../../db/client";
import { teacherDays } from "../../db/schema";
import type { CalendarOwner } from "../../server/inventory/calendarAccess";
import { applyAvailabilityPattern } from "../../server/inventory/scheduleService";
import { EMPTY_DAY, SlotState, setRange, stateAt } from "../../server/inventory/slotBitmap";
import { SlotTaken } from "../../server/inventory/slotConflict";
import type { SlotRange } from "../../server/inventory/slotRange";
import type { SlotAction } from "../../server/inventory/slotTransitions";
import { transitionSlots } from "../../server/inventory/transitionSlots";
import { createTeacher } from "../fixtures";

const { Published, Reserved } = SlotState;

/**
 * The racers get their own pool, big enough that all 50 transactions hold a connection at
 * once; the shared getDb() pool (10) would queue them and turn the race into a sequence.
 */
let race: DatabaseHandle;
beforeAll(() => {
  race = connectPostgres(process.env.DATABASE_URL!, 60);
});
afterAll(() => race.close());

const DAY0 = Date.parse("2032-01-01T00:00:00Z");
const dayAt = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);
const slotAt = (day: string, index: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + index * 1_800_000);
const ALL_PUBLISHED = setRange(EMPTY_DAY, 0, 48, Published);

/** Resolves once `n` callers have arrived: every racer opens its transaction, then all go. */
function barrier(n: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived === n) release();
    return all;
  };
}

/**
 * Each attempt in its own transaction on the race pool: "ok", "taken", or the error thrown.
 * `delayMs` after the barrier sweeps the attempt across a rival's run, so both orders occur.
 */
async function attempt(
  teacherId: string,
  range: SlotRange,
  action: SlotAction,
  ready: () => Promise<void>,
  delayMs = 0,
): Promise<"ok" | "taken"> {
  try {
    await race.db.transaction(async (tx) => {
      await tx.execute("select 1"); // BEGIN has reached the server and a connection is held
      await ready();
      if (delayMs > 0) await sleep(delayMs);
      await transitionSlots(tx, teacherId, range, action);
    });
    return "ok";
  } catch (error) {
    if (error instanceof SlotTaken) return "taken";
    throw error;
  }
}

async function rowsOf(teacherId: string, days: string[]) {
  const rows = await getDb()
    .select({ day: teacherDays.day, slots: teacherDays.slots, version: teacherDays.version })
    .from(teacherDays)
    .where(and(eq(teacherDays.teacherId, teacherId), inArray(teacherDays.day, days)));
  return new Map(rows.map((r) => [r.day, r]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("concurrent reserves", () => {
  it("50 reserves of one slot: exactly one wins, 49 get SlotTaken (20 rounds)", async () => {
    const { teacher } = await createTeacher();
    for (let round = 0; round < 20; round++) {
      const day = dayAt(round);
      await getDb()
        .insert(teacherDays)
        .values({ teacherId: teacher.id, day, slots: ALL_PUBLISHED });
      const ready = barrier(50);
      const range = { start: slotAt(day, 20), slots: 1 };
      const results = await Promise.all(
        Array.from({ length: 50 }, () => attempt(teacher.id, range, "reserve", ready)),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(1);
      expect(results.filter((r) => r === "taken")).toHaveLength(49);
      expect((await rowsOf(teacher.id, [day])).get(day)).toMatchObject({
        slots: setRange(ALL_PUBLISHED, 20, 1, Reserved),
        version: 1,
      });
    }
  });

  it("48 reserves of the 48 slots of one day: all succeed (20 rounds)", async () => {
    const { teacher } = await createTeacher();
    for (let round = 0; round < 20; round++) {
      const day = dayAt(100 + round);
      await getDb()
        .insert(teacherDays)
        .values({ teacherId: teacher.id, day, slots: ALL_PUBLISHED });
      const ready = barrier(48);
      const results = await Promise.all(
        Array.from({ length: 48 }, (_, i) =>
          attempt(teacher.id, { start: slotAt(day, i), slots: 1 }, "reserve", ready),
        ),
      );
      expect(results).toEqual(Array(48).fill("ok"));
      expect((await rowsOf(teacher.id, [day])).get(day)).toMatchObject({
        slots: "10".repeat(48),
        version: 48,
      });
    }
  });

  it("a two-day reserve over midnight racing a one-day reserve on the overlap: one wins whole (20 rounds)", async () => {
    const { teacher } = await createTeacher();
    for (let round = 0; round < 20; round++) {
      const first = dayAt(200 + 2 * round);
      const second = dayAt(201 + 2 * round);
      await getDb()
        .insert(teacherDays)
        .values([
          { teacherId: teacher.id, day: first, slots: ALL_PUBLISHED },
          { teacherId: teacher.id, day: second, slots: ALL_PUBLISHED },
        ]);
      const ready = barrier(2);
      // 23:00Z + 4 slots; the rival takes 00:30Z on the second day, a little later each round.
      const long = { start: slotAt(first, 46), slots: 4 };
      const short = { start: slotAt(second, 1), slots: 1 };
      const [longResult, shortResult] = await Promise.all([
        attempt(teacher.id, long, "reserve", ready),
        attempt(teacher.id, short, "reserve", ready, round % 4),
      ]);
      expect([longResult, shortResult].sort()).toEqual(["ok", "taken"]);

      const rows = await rowsOf(teacher.id, [first, second]);
      if (longResult === "ok") {
        expect(rows.get(first)?.slots).toBe(setRange(ALL_PUBLISHED, 46, 2, Reserved));
        expect(rows.get(second)?.slots).toBe(setRange(ALL_PUBLISHED, 0, 2, Reserved));
        expect(rows.get(first)?.version).toBe(1);
      } else {
        // No half-applied two-day reserve: the first day is as it was.
        expect(rows.get(first)).toMatchObject({ slots: ALL_PUBLISHED, version: 0 });
        expect(rows.get(second)?.slots).toBe(setRange(ALL_PUBLISHED, 1, 1, Reserved));
      }
      expect(rows.get(second)?.version).toBe(1);
    }
  });
});

describe("batch publishing racing a reserve on the same day", () => {
  // In UTC a local day is a UTC day, so the pattern's day and the reserved slot's day agree.
  async function utcOwner(): Promise<CalendarOwner> {
    const { teacher } = await createTeacher({ timeZone: "UTC" });
    return { teacherId: teacher.id, timeZone: "UTC", status: "approved" };
  }
  const weekdayOf = (day: string) =>
    (((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1) as 1;

  async function race2(owner: CalendarOwner, day: string, removeTarget: boolean, round: number) {
    const target = { start: slotAt(day, 30), slots: 1 };
    const ready = barrier(2);
    const publish = async () => {
      await ready();
      return applyAvailabilityPattern(race.db, owner, {
        windows: [{ weekday: weekdayOf(day), start: "00:00", end: "24:00" }],
        from: day,
        to: day,
        additions: [],
        removals: removeTarget ? [target] : [],
        dryRun: false,
      });
    };
    // The batch takes a few milliseconds; a 0..18 ms delay lands the reserve before, inside, after.
    const reserve = attempt(owner.teacherId, target, "reserve", ready, (round % 10) * 2);
    const [outcome, reserved] = await Promise.all([publish(), reserve]);
    const row = (await rowsOf(owner.teacherId, [day])).get(day)!;
    return { outcome, reserved, row };
  }

  it("a reserve of an already published slot is never lost to the batch write (20 rounds)", async () => {
    const owner = await utcOwner();
    for (let round = 0; round < 20; round++) {
      const day = dayAt(400 + round);
      await getDb()
        .insert(teacherDays)
        .values({ teacherId: owner.teacherId, day, slots: setRange(EMPTY_DAY, 30, 1, Published) });
      const { reserved, row } = await race2(owner, day, false, round);
      expect(reserved).toBe("ok");
      expect(row.slots).toBe(setRange(ALL_PUBLISHED, 30, 1, Reserved));
      expect(row.version).toBe(2);
    }
  });

  it("a batch that removes the slot: the slot ends reserved exactly when the reserve won (20 rounds)", async () => {
    const owner = await utcOwner();
    for (let round = 0; round < 20; round++) {
      const day = dayAt(500 + round);
      await getDb()
        .insert(teacherDays)
        .values({
          teacherId: owner.teacherId,
          day,
          slots: setRange(EMPTY_DAY, 30, 1, Published),
        });
      const { reserved, row } = await race2(owner, day, true, round);
      const others = setRange(ALL_PUBLISHED, 30, 1, SlotState.Unpublished);
      if (reserved === "ok") {
        expect(row.slots).toBe(setRange(others, 30, 1, Reserved));
      } else {
        // The batch committed first and unpublished it, so there was nothing to reserve.
        expect(row.slots).toBe(others);
      }
      expect(stateAt(row.slots, 30) === Reserved).toBe(reserved === "ok");
    }
  });

  it("a reserve of a slot only the batch publishes succeeds only after the batch, and is kept (20 rounds)", async () => {
    const owner = await utcOwner();
    for (let round = 0; round < 20; round++) {
      const day = dayAt(600 + round);
      const { reserved, row, outcome } = await race2(owner, day, false, round);
      expect(outcome.published).toBe(48);
      expect(row.slots).toBe(
        reserved === "ok" ? setRange(ALL_PUBLISHED, 30, 1, Reserved) : ALL_PUBLISHED,
      );
    }
  });
});
