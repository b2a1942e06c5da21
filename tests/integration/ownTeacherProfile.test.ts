import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { getOwnTeacherProfile } from "../../server/identity/ownTeacherProfile";
import { addUtcDays, EMPTY_DAY, SlotState, setRange } from "../../server/inventory/slotBitmap";
import { createTeacher } from "../fixtures";

describe("a teacher's own profile", () => {
  it("counts only upcoming days that still have a free slot", async () => {
    const { teacher } = await createTeacher();
    const today = new Date().toISOString().slice(0, 10);
    await getDb()
      .insert(teacherDays)
      .values([
        {
          teacherId: teacher.id,
          day: addUtcDays(today, 1),
          slots: setRange(EMPTY_DAY, 40, 2, SlotState.Published),
        },
        {
          teacherId: teacher.id,
          day: addUtcDays(today, 2),
          slots: setRange(EMPTY_DAY, 47, 1, SlotState.Published),
        },
        {
          teacherId: teacher.id,
          day: addUtcDays(today, 3),
          slots: setRange(EMPTY_DAY, 0, 48, SlotState.Reserved),
        },
        {
          teacherId: teacher.id,
          day: addUtcDays(today, 4),
          slots: setRange(EMPTY_DAY, 0, 48, SlotState.Locked),
        },
        { teacherId: teacher.id, day: addUtcDays(today, 5), slots: EMPTY_DAY },
        {
          teacherId: teacher.id,
          day: addUtcDays(today, -3),
          slots: setRange(EMPTY_DAY, 0, 1, SlotState.Published),
        },
      ]);
    const profile = await getOwnTeacherProfile(getDb(), teacher.id);
    expect(profile.publishedDays).toBe(2);
  });
});
