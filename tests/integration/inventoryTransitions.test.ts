import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { teacherDays } from "../../db/schema";
import {
  EMPTY_DAY,
  encodeDay,
  SlotState,
  setRange,
  stateAt,
} from "../../server/inventory/slotBitmap";
import { SlotConflict, SlotTaken } from "../../server/inventory/slotConflict";
import type { SlotAction } from "../../server/inventory/slotTransitions";
import { transitionSlots } from "../../server/inventory/transitionSlots";
import { createTeacher } from "../fixtures";

const { Unpublished, Published, Reserved, Locked } = SlotState;
const STATE_NAMES = ["unpublished", "published", "reserved", "locked"] as const;

/**
 * The state machine written out independently of server/inventory/slotTransitions.ts, so a
 * wrong entry there shows up here instead of being copied into the expectation.
 */
const LEGAL: Record<SlotAction, Partial<Record<SlotState, SlotState>>> = {
  publish: { [Unpublished]: Published },
  unpublish: { [Published]: Unpublished },
  reserve: { [Published]: Reserved },
  release: { [Reserved]: Published },
  lock: { [Unpublished]: Locked, [Published]: Locked },
  unlock: { [Locked]: Unpublished },
};

/** Far enough ahead that no "in the past" rule can interfere; the service layer is not used. */
const DAY0 = Date.parse("2031-01-01T00:00:00Z");
const dayAt = (n: number) => new Date(DAY0 + n * 86_400_000).toISOString().slice(0, 10);
const slotAt = (day: string, index: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + index * 1_800_000);

async function readDay(teacherId: string, day: string) {
  const [row] = await getDb()
    .select({ slots: teacherDays.slots, version: teacherDays.version })
    .from(teacherDays)
    .where(and(eq(teacherDays.teacherId, teacherId), eq(teacherDays.day, day)));
  return row;
}

async function seedDay(teacherId: string, day: string, slots: string) {
  await getDb().insert(teacherDays).values({ teacherId, day, slots });
}

function transition(teacherId: string, start: Date, slots: number, action: SlotAction) {
  return getDb().transaction((tx) => transitionSlots(tx, teacherId, { start, slots }, action));
}

/** Every state appears around the slot under test, so a too-wide mask would be noticed. */
const background = encodeDay(Array.from({ length: 48 }, (_, i) => (i % 4) as SlotState));
const TARGET = 21;

describe("transitionSlots: every action from every state", () => {
  const cases = (Object.keys(LEGAL) as SlotAction[]).flatMap((action) =>
    ([Unpublished, Published, Reserved, Locked] as SlotState[]).map((from) => ({
      action,
      from,
      to: LEGAL[action][from],
    })),
  );

  it.each(cases.map((c, i) => ({ ...c, i, name: STATE_NAMES[c.from] })))(
    "$action from $name",
    async ({ action, from, to, i }) => {
      const { teacher } = await createTeacher();
      const day = dayAt(i);
      const before = setRange(background, TARGET, 1, from);
      await seedDay(teacher.id, day, before);

      const attempt = transition(teacher.id, slotAt(day, TARGET), 1, action);
      if (to === undefined) {
        await expect(attempt).rejects.toBeInstanceOf(SlotConflict);
        // Only a lost reserve is "taken"; other illegal moves are plain conflicts.
        await attempt.catch((error) => {
          expect(error instanceof SlotTaken).toBe(action === "reserve");
          expect((error as SlotConflict).action).toBe(action);
        });
        expect(await readDay(teacher.id, day)).toEqual({ slots: before, version: 0 });
      } else {
        await attempt;
        expect(await readDay(teacher.id, day)).toEqual({
          slots: setRange(background, TARGET, 1, to),
          version: 1,
        });
      }
    },
  );
});

describe("transitionSlots: a slot's life", () => {
  it("publish, reserve, release, unpublish, lock, unlock, each committed", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(100);
    const start = slotAt(day, 18);
    const steps: [SlotAction, SlotState][] = [
      ["publish", Published],
      ["reserve", Reserved],
      ["release", Published],
      ["unpublish", Unpublished],
      ["lock", Locked],
      ["unlock", Unpublished],
      ["publish", Published],
      ["lock", Locked],
    ];
    for (const [n, [action, state]] of steps.entries()) {
      await transition(teacher.id, start, 2, action);
      const row = await readDay(teacher.id, day);
      expect(row?.version).toBe(n + 1);
      expect(row?.slots).toBe(setRange(EMPTY_DAY, 18, 2, state));
    }
  });

  it("publish creates the teacher-day row when there is none", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(101);
    expect(await readDay(teacher.id, day)).toBeUndefined();
    await transition(teacher.id, slotAt(day, 0), 3, "publish");
    expect(await readDay(teacher.id, day)).toEqual({
      slots: setRange(EMPTY_DAY, 0, 3, Published),
      version: 1,
    });
  });

  it("reserve on a day without a row is SlotTaken and creates no row", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(102);
    await expect(transition(teacher.id, slotAt(day, 5), 1, "reserve")).rejects.toBeInstanceOf(
      SlotTaken,
    );
    expect(await readDay(teacher.id, day)).toBeUndefined();
  });

  it("reserve of a range is all or nothing within one day", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(103);
    // Slots 10..13 published except 12, which is unpublished.
    const before = setRange(setRange(EMPTY_DAY, 10, 4, Published), 12, 1, Unpublished);
    await seedDay(teacher.id, day, before);
    const error = await transition(teacher.id, slotAt(day, 10), 4, "reserve").catch((e) => e);
    expect(error).toBeInstanceOf(SlotTaken);
    expect((error as SlotTaken).start).toEqual(slotAt(day, 10));
    expect(await readDay(teacher.id, day)).toEqual({ slots: before, version: 0 });
  });

  it("the caller's transaction decides: a later failure undoes a successful transition", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(104);
    const before = setRange(EMPTY_DAY, 30, 2, Published);
    await seedDay(teacher.id, day, before);
    const failure = getDb().transaction(async (tx) => {
      await transitionSlots(tx, teacher.id, { start: slotAt(day, 30), slots: 2 }, "reserve");
      throw new Error("payment declined");
    });
    await expect(failure).rejects.toThrow("payment declined");
    expect(await readDay(teacher.id, day)).toEqual({ slots: before, version: 0 });
  });
});

describe("transitionSlots: ranges over midnight (UTC)", () => {
  // 23:00Z + 4 slots: slots 46, 47 of the first day and 0, 1 of the next.
  const first = dayAt(200);
  const second = dayAt(201);
  const start = slotAt(first, 46);

  it("touch both teacher-days in one transaction", async () => {
    const { teacher } = await createTeacher();
    await transition(teacher.id, start, 4, "publish");
    expect(await readDay(teacher.id, first)).toEqual({
      slots: setRange(EMPTY_DAY, 46, 2, Published),
      version: 1,
    });
    expect(await readDay(teacher.id, second)).toEqual({
      slots: setRange(EMPTY_DAY, 0, 2, Published),
      version: 1,
    });
    await transition(teacher.id, start, 4, "reserve");
    expect(await readDay(teacher.id, first)).toEqual({
      slots: setRange(EMPTY_DAY, 46, 2, Reserved),
      version: 2,
    });
    expect(await readDay(teacher.id, second)).toEqual({
      slots: setRange(EMPTY_DAY, 0, 2, Reserved),
      version: 2,
    });
  });

  it("a reserve failing on the second day rolls back the first", async () => {
    const { teacher } = await createTeacher();
    const firstBefore = setRange(EMPTY_DAY, 46, 2, Published);
    // 00:30Z on the second day is already reserved by someone else.
    const secondBefore = setRange(setRange(EMPTY_DAY, 0, 2, Published), 1, 1, Reserved);
    await seedDay(teacher.id, first, firstBefore);
    await seedDay(teacher.id, second, secondBefore);
    await expect(transition(teacher.id, start, 4, "reserve")).rejects.toBeInstanceOf(SlotTaken);
    expect(await readDay(teacher.id, first)).toEqual({ slots: firstBefore, version: 0 });
    expect(await readDay(teacher.id, second)).toEqual({ slots: secondBefore, version: 0 });
  });

  it("a publish failing on the second day leaves no row created for the first", async () => {
    const { teacher } = await createTeacher();
    const secondBefore = setRange(EMPTY_DAY, 0, 1, Published);
    await seedDay(teacher.id, second, secondBefore);
    const error = await transition(teacher.id, start, 4, "publish").catch((e) => e);
    expect(error).toBeInstanceOf(SlotConflict);
    expect(error).not.toBeInstanceOf(SlotTaken);
    expect(await readDay(teacher.id, first)).toBeUndefined();
    expect(await readDay(teacher.id, second)).toEqual({ slots: secondBefore, version: 0 });
  });

  it("a lock failing on the second day (a reserved slot) leaves the first unchanged", async () => {
    const { teacher } = await createTeacher();
    const firstBefore = setRange(EMPTY_DAY, 47, 1, Published);
    const secondBefore = setRange(EMPTY_DAY, 1, 1, Reserved);
    await seedDay(teacher.id, first, firstBefore);
    await seedDay(teacher.id, second, secondBefore);
    await expect(transition(teacher.id, start, 4, "lock")).rejects.toBeInstanceOf(SlotConflict);
    expect(await readDay(teacher.id, first)).toEqual({ slots: firstBefore, version: 0 });
    expect(await readDay(teacher.id, second)).toEqual({ slots: secondBefore, version: 0 });
  });
});

describe("transitionSlots: different slots of one day", () => {
  it("two transactions one after the other both succeed", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(300);
    await seedDay(teacher.id, day, setRange(EMPTY_DAY, 0, 48, Published));
    await transition(teacher.id, slotAt(day, 3), 1, "reserve");
    await transition(teacher.id, slotAt(day, 4), 2, "unpublish");
    const expected = setRange(
      setRange(setRange(EMPTY_DAY, 0, 48, Published), 3, 1, Reserved),
      4,
      2,
      Unpublished,
    );
    expect(await readDay(teacher.id, day)).toEqual({ slots: expected, version: 2 });
  });

  it("two overlapping transactions both succeed: the second waits, then re-checks its slots", async () => {
    const { teacher } = await createTeacher();
    const day = dayAt(301);
    await seedDay(teacher.id, day, setRange(EMPTY_DAY, 0, 48, Published));
    let firstUpdated!: () => void;
    const updated = new Promise<void>((resolve) => {
      firstUpdated = resolve;
    });
    const first = getDb().transaction(async (tx) => {
      await transitionSlots(tx, teacher.id, { start: slotAt(day, 7), slots: 1 }, "reserve");
      firstUpdated();
      // Hold the row lock for a while so the second UPDATE has to wait on it.
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    await updated;
    const second = transition(teacher.id, slotAt(day, 8), 1, "reserve");
    await Promise.all([first, second]);
    expect(await readDay(teacher.id, day)).toEqual({
      slots: setRange(setRange(EMPTY_DAY, 0, 48, Published), 7, 2, Reserved),
      version: 2,
    });
    expect(stateAt((await readDay(teacher.id, day))!.slots, 9)).toBe(Published);
  });
});
