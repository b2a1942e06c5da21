import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { subjects, teacherDays } from "../../db/schema";
import { freeWindowMasks, recommendTeachers } from "../../server/catalog/recommendations";
import { EMPTY_DAY, SlotState, setRange } from "../../server/inventory/slotBitmap";
import { addReview, createTeacher } from "../fixtures";

/** Wednesday 10:15 UTC: slot 20 (10:00) has started, slot 21 (10:30) is the next one. */
const NOW = new Date("2030-03-06T10:15:00Z");
const TODAY = "2030-03-06";
const TOMORROW = "2030-03-07";
/** The last day of the 7-day window: slots before 10:15 count, later ones do not. */
const LAST_DAY = "2030-03-13";

/** A subject of this test alone, so teachers made by other tests never show up. */
async function freshSubject() {
  const slug = `rec-${randomUUID().slice(0, 8)}`;
  await getDb()
    .insert(subjects)
    .values({ slug, name: `Subject ${slug}`, nameZh: "科目" });
  return slug;
}

async function teacherOf(
  subject: string | string[],
  pricePerHour: number,
  options: { displayName: string; status?: "approved" | "suspended" },
) {
  const { teacher } = await createTeacher({
    subjects: Array.isArray(subject) ? subject : [subject],
    displayName: options.displayName,
    status: options.status,
    courses: [{ title: `${options.displayName} course`, pricePerHour, packageHours: [1, 10] }],
  });
  return teacher.id;
}

/** Publishes `count` slots from slot `from` on `day`. */
async function publish(teacherId: string, day: string, from: number, count = 1) {
  await getDb()
    .insert(teacherDays)
    .values({ teacherId, day, slots: setRange(EMPTY_DAY, from, count, SlotState.Published) });
}

async function reviews(teacherId: string, rating: number, count: number) {
  for (let i = 0; i < count; i++) await addReview(teacherId, rating);
}

describe("recommendations", () => {
  it("keeps approved, similar, well-rated teachers of a shared subject with free time soon", async () => {
    const subject = await freshSubject();
    const other = await freshSubject();
    const me = await teacherOf(subject, 3000, { displayName: "Me" });
    await publish(me, TOMORROW, 20, 4);

    const top = await teacherOf(subject, 3000, { displayName: "Top" });
    await reviews(top, 5, 5); // bayesian (25 + 20) / 10 = 4.5
    await publish(top, TOMORROW, 20, 4);
    const dearer = await teacherOf(subject, 4000, { displayName: "Dearer" }); // +33 %
    await publish(dearer, TOMORROW, 30);
    const lastDay = await teacherOf(subject, 2000, { displayName: "Edge" }); // -33 %
    await publish(lastDay, LAST_DAY, 20); // 10:00 on day 7 starts before the horizon
    const bilingual = await teacherOf([other, subject], 3000, { displayName: "Bilingual" });
    await publish(bilingual, TOMORROW, 40);

    const tooDear = await teacherOf(subject, 4300, { displayName: "Too dear" }); // +43 %
    await publish(tooDear, TOMORROW, 20);
    const tooCheap = await teacherOf(subject, 1700, { displayName: "Too cheap" }); // -43 %
    await publish(tooCheap, TOMORROW, 20);
    const suspended = await teacherOf(subject, 3000, {
      displayName: "Suspended",
      status: "suspended",
    });
    await publish(suspended, TOMORROW, 20);
    const poorlyRated = await teacherOf(subject, 3000, { displayName: "Poor" });
    await reviews(poorlyRated, 1, 10); // (10 + 20) / 15 = 2.0
    await publish(poorlyRated, TOMORROW, 20);
    const otherSubject = await teacherOf(other, 3000, { displayName: "Other subject" });
    await publish(otherSubject, TOMORROW, 20);
    const noFreeTime = await teacherOf(subject, 3000, { displayName: "Booked out" });
    await getDb()
      .insert(teacherDays)
      .values({
        teacherId: noFreeTime,
        day: TOMORROW,
        slots: setRange(setRange(EMPTY_DAY, 20, 2, SlotState.Reserved), 22, 2, SlotState.Locked),
      });
    const startedOnly = await teacherOf(subject, 3000, { displayName: "Started" });
    await publish(startedOnly, TODAY, 20); // 10:00 today began before now
    const afterHorizon = await teacherOf(subject, 3000, { displayName: "Too late" });
    await publish(afterHorizon, LAST_DAY, 21); // 10:30 on day 7 is past now + 7 days
    const noCourses = await teacherOf(subject, 3000, { displayName: "No courses" });
    await getDb().execute(
      // A retired course leaves no current price.
      sql`UPDATE courses SET status = 'retired' WHERE teacher_id = ${noCourses}`,
    );
    await publish(noCourses, TOMORROW, 20);

    const recs = await recommendTeachers(getDb(), me, { now: NOW, limit: 10 });
    const names = recs.map((r) => r.displayName);
    expect(new Set(names)).toEqual(new Set(["Top", "Dearer", "Edge", "Bilingual"]));
    expect(names[0]).toBe("Top");
    expect(recs.map((r) => r.id)).not.toContain(me);
    expect(recs.find((r) => r.displayName === "Top")).toMatchObject({
      ratingAverage: 5,
      ratingCount: 5,
      fromPricePerHour: 3000,
      freeSlots: 4,
      subjects: [`Subject ${subject}`],
    });
    // Scores are documented: 4.5 bayesian + 1 price + 0.5 overlap + 0.5 × 4/20 free.
    expect(recs[0]!.score).toBeCloseTo(4.5 + 1 + 0.5 + 0.1, 3);
  });

  it("returns at most four, ranked by score", async () => {
    const subject = await freshSubject();
    const me = await teacherOf(subject, 5000, { displayName: "Me" });
    const ids: Record<string, string> = {};
    // Same rating prior (no reviews): the price closeness decides.
    for (const [name, price] of [
      ["P5000", 5000],
      ["P5500", 5500],
      ["P4000", 4000],
      ["P6500", 6500],
      ["P3200", 3200],
      ["P5200", 5200],
    ] as const) {
      ids[name] = await teacherOf(subject, price, { displayName: name });
      await publish(ids[name]!, TOMORROW, 10, 2);
    }
    // Many good reviews beat a closer price: 4.75 + 0.5 against 4 + 1.
    const star = await teacherOf(subject, 6000, { displayName: "Star" });
    await reviews(star, 5, 15); // (75 + 20) / 20 = 4.75
    await publish(star, TOMORROW, 10, 2);

    const recs = await recommendTeachers(getDb(), me, { now: NOW });
    expect(recs.map((r) => r.displayName)).toEqual(["Star", "P5000", "P5200", "P5500"]);
    const scores = recs.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("recommends nobody for an unknown teacher and ignores price when the teacher has none", async () => {
    expect(await recommendTeachers(getDb(), "123456789", { now: NOW })).toEqual([]);
    const subject = await freshSubject();
    const me = await teacherOf(subject, 3000, { displayName: "Me" });
    await getDb().execute(sql`UPDATE courses SET status = 'retired' WHERE teacher_id = ${me}`);
    const far = await teacherOf(subject, 9000, { displayName: "Far" });
    await publish(far, TOMORROW, 10);
    const recs = await recommendTeachers(getDb(), me, { now: NOW });
    expect(recs.map((r) => r.displayName)).toEqual(["Far"]);
  });
});

describe("free-time window masks", () => {
  it("keep slots starting in [now, now + 7 days) only", () => {
    const w = freeWindowMasks(NOW, 7);
    expect(w.firstDay).toBe(TODAY);
    expect(w.lastDay).toBe(LAST_DAY);
    // Slot i is characters 2i and 2i+1: "01" keeps it, "00" drops it.
    const kept = (mask: string) =>
      Array.from({ length: 48 }, (_, i) => i).filter((i) => mask.slice(2 * i, 2 * i + 2) === "01");
    expect(kept(w.firstMask)).toEqual(Array.from({ length: 27 }, (_, i) => 21 + i));
    expect(kept(w.lastMask)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(kept(w.fullMask)).toHaveLength(48);
  });

  it("keep a slot starting exactly now", () => {
    const w = freeWindowMasks(new Date("2030-03-06T10:00:00Z"), 7);
    expect(w.firstMask.slice(40, 42)).toBe("01");
    expect(w.lastMask.slice(40, 42)).toBe("00");
  });
});
