import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { getPriceCard } from "../../server/catalog/priceCard";
import { listReviews } from "../../server/catalog/reviews";
import { listApprovedTeachers } from "../../server/catalog/teacherDirectory";
import { getTeacherStudio } from "../../server/catalog/teacherStudio";
import { DomainError } from "../../server/domainError";
import { listFreeSlots } from "../../server/inventory/freeSlots";
import { decodeDay, EMPTY_DAY, encodeDay, SlotState } from "../../server/inventory/slotBitmap";
import { addReview, createTeacher } from "../fixtures";

describe("teacher directory", () => {
  it("lists only approved teachers of a subject, best rated first, paginated", async () => {
    const subject = "piano";
    const strong = await createTeacher({ subjects: [subject], displayName: "Strong" });
    const weak = await createTeacher({ subjects: [subject], displayName: "Weak" });
    const hidden = await createTeacher({ subjects: [subject], status: "suspended" });
    const other = await createTeacher({ subjects: ["chemistry"] });
    for (let i = 0; i < 6; i++) await addReview(strong.teacher.id, 5);
    await addReview(weak.teacher.id, 2);

    const page1 = await listApprovedTeachers(getDb(), { subject, page: 1, pageSize: 1 });
    const page2 = await listApprovedTeachers(getDb(), { subject, page: 2, pageSize: 1 });
    expect(page1.total).toBe(2);
    expect(page1.pageCount).toBe(2);
    expect(page1.items.map((t) => t.displayName)).toEqual(["Strong"]);
    expect(page2.items.map((t) => t.displayName)).toEqual(["Weak"]);
    expect(page1.items[0]).toMatchObject({
      ratingAverage: 5,
      ratingCount: 6,
      subjects: [subject],
      fromPricePerHour: 3000,
    });
    const ids = [...page1.items, ...page2.items].map((t) => t.id);
    expect(ids).not.toContain(hidden.teacher.id);
    expect(ids).not.toContain(other.teacher.id);
  });
});

describe("teacher studio", () => {
  it("shows courses cheapest first and the rating distribution; reviews page newest first", async () => {
    const { teacher } = await createTeacher({
      courses: [
        { title: "Advanced", pricePerHour: 9000, packageHours: [1, 20] },
        { title: "Basics", pricePerHour: 2500, packageHours: [1, 10, 60] },
      ],
    });
    await addReview(teacher.id, 5, "Brilliant");
    await addReview(teacher.id, 4, "Good");
    await addReview(teacher.id, 4, "Fine");

    const studio = await getTeacherStudio(getDb(), teacher.id);
    expect(studio.courses.map((c) => c.title)).toEqual(["Basics", "Advanced"]);
    expect(studio.ratingAverage).toBe(4.3);
    expect(studio.ratingDistribution).toEqual([
      { rating: 5, count: 1 },
      { rating: 4, count: 2 },
      { rating: 3, count: 0 },
      { rating: 2, count: 0 },
      { rating: 1, count: 0 },
    ]);
    const page = await listReviews(getDb(), { teacherId: teacher.id });
    expect(page.items).toHaveLength(3);
    expect(page.items[0]?.reviewer).toBe("Rita R.");
  });

  it("prices every package from the current version", async () => {
    const { teacher } = await createTeacher({
      courses: [{ title: "Basics", pricePerHour: 2500, packageHours: [10, 1, 60] }],
    });
    const card = await getPriceCard(getDb(), teacher.id);
    expect(card).toEqual([
      expect.objectContaining({
        title: "Basics",
        pricePerHour: 2500,
        currency: "USD",
        packages: [
          { hours: 1, amount: 2500 },
          { hours: 10, amount: 25_000 },
          { hours: 60, amount: 150_000 },
        ],
      }),
    ]);
  });

  it("refuses teachers who are not approved", async () => {
    const { teacher } = await createTeacher({ status: "rejected" });
    await expect(getTeacherStudio(getDb(), teacher.id)).rejects.toBeInstanceOf(DomainError);
    await expect(getPriceCard(getDb(), teacher.id)).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("free slots", () => {
  it("returns published slots after now within the horizon, not reserved or locked ones", async () => {
    const { teacher } = await createTeacher();
    const states = decodeDay(EMPTY_DAY);
    states[10] = SlotState.Published; // 05:00, before "now"
    states[20] = SlotState.Published; // 10:00
    states[21] = SlotState.Reserved;
    states[22] = SlotState.Locked;
    states[23] = SlotState.Published; // 11:30
    await getDb()
      .insert(teacherDays)
      .values([
        { teacherId: teacher.id, day: "2030-01-01", slots: encodeDay(states) },
        { teacherId: teacher.id, day: "2030-01-20", slots: encodeDay(states) },
      ]);
    const now = new Date("2030-01-01T08:00:00Z");
    const slots = await listFreeSlots(getDb(), teacher.id, { now, days: 14 });
    expect(slots.map((d) => d.toISOString())).toEqual([
      "2030-01-01T10:00:00.000Z",
      "2030-01-01T11:30:00.000Z",
    ]);
    const rows = await getDb()
      .select()
      .from(teacherDays)
      .where(eq(teacherDays.teacherId, teacher.id));
    expect(rows).toHaveLength(2);
  });
});
