import { beforeAll, describe, expect, it } from "vitest";
import { buildDemoData, DEMO_ACCOUNTS, type DemoData } from "../../db/seed/demoData";
import { addUtcDays, decodeDay, SlotState } from "../../server/inventory/slotBitmap";

const NOW = new Date("2027-03-10T15:20:00Z");
const HAN = /\p{Script=Han}/u;

let data: DemoData;
beforeAll(() => {
  data = buildDemoData(NOW);
});

function approvedTeachers() {
  return data.teachers.filter((t) => t.status === "approved");
}

describe("buildDemoData", () => {
  it("is deterministic for the same `now`", () => {
    expect(buildDemoData(NOW)).toEqual(data);
  });

  it("moves only dates with `now`", () => {
    const later = buildDemoData(new Date(NOW.getTime() + 7 * 86_400_000));
    expect(later.teachers).toEqual(data.teachers);
    expect(later.courses).toEqual(data.courses);
    expect(later.reviews.map(({ createdAt: _, ...r }) => r)).toEqual(
      data.reviews.map(({ createdAt: _, ...r }) => r),
    );
    expect(later.reviews[0]!.createdAt.getTime() - data.reviews[0]!.createdAt.getTime()).toBe(
      7 * 86_400_000,
    );
  });

  it("has at least 60 approved teachers and the two unapproved applicants", () => {
    expect(approvedTeachers().length).toBeGreaterThanOrEqual(60);
    expect(data.teachers.filter((t) => t.status === "applied")).toHaveLength(2);
  });

  it("has at least 8 subjects with unique slugs, and teachers only use those", () => {
    expect(data.subjects.length).toBeGreaterThanOrEqual(8);
    const slugs = new Set<string>(data.subjects.map((s) => s.slug));
    expect(slugs.size).toBe(data.subjects.length);
    for (const t of data.teachers) {
      expect(t.subjects.length).toBeGreaterThanOrEqual(1);
      for (const s of t.subjects) expect(slugs.has(s)).toBe(true);
    }
    for (const c of data.courses) expect(slugs.has(c.subjectSlug)).toBe(true);
  });

  it("gives every teacher 1-3 courses with package hours from {1,10,20,60,100} including 1", () => {
    const allowed = [1, 10, 20, 60, 100];
    for (const t of data.teachers) {
      const courses = data.courses.filter((c) => c.teacherId === t.id);
      expect(courses.length, t.displayName).toBeGreaterThanOrEqual(1);
      expect(courses.length, t.displayName).toBeLessThanOrEqual(3);
      for (const course of courses) {
        expect(t.subjects).toContain(course.subjectSlug);
        const versions = data.courseVersions.filter((v) => v.courseId === course.id);
        expect(versions.map((v) => v.version)).toEqual(
          Array.from({ length: course.currentVersion }, (_, i) => i + 1),
        );
        for (const v of versions) {
          expect(v.packageHours).toContain(1);
          for (const h of v.packageHours) expect(allowed).toContain(h);
          expect(v.packageHours).toEqual([...new Set(v.packageHours)].sort((a, b) => a - b));
          expect(Number.isInteger(v.pricePerHour)).toBe(true);
          expect(v.pricePerHour).toBeGreaterThan(0);
          expect(v.title.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it("has between 0 and 40 reviews per teacher with ratings 1-5, only for approved teachers", () => {
    const approved = new Set(approvedTeachers().map((t) => t.id));
    const studentKeys = new Set(data.users.filter((u) => u.role === "student").map((u) => u.key));
    const perTeacher = new Map<string, number>();
    for (const r of data.reviews) {
      expect(approved.has(r.teacherId)).toBe(true);
      expect(Number.isInteger(r.rating)).toBe(true);
      expect(r.rating).toBeGreaterThanOrEqual(1);
      expect(r.rating).toBeLessThanOrEqual(5);
      expect(studentKeys.has(r.studentKey)).toBe(true);
      expect(r.createdAt.getTime()).toBeLessThan(NOW.getTime());
      expect(r.createdAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 366 * 86_400_000);
      if (r.courseId !== null) {
        const course = data.courses.find((c) => c.id === r.courseId);
        expect(course?.teacherId).toBe(r.teacherId);
      }
      perTeacher.set(r.teacherId, (perTeacher.get(r.teacherId) ?? 0) + 1);
    }
    for (const t of approvedTeachers()) {
      const n = perTeacher.get(t.id) ?? 0;
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(40);
    }
    // A student reviews a teacher at most once.
    const pairs = data.reviews.map((r) => `${r.teacherId}/${r.studentKey}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    // Ratings are not all the same.
    expect(new Set(data.reviews.map((r) => r.rating)).size).toBeGreaterThan(1);
  });

  it("includes teachers with Chinese display names", () => {
    const chinese = data.teachers.filter((t) => HAN.test(t.displayName));
    expect(chinese.length).toBeGreaterThanOrEqual(5);
    for (const t of chinese) expect(t.displayName).not.toMatch(/\s/);
  });

  it("publishes availability for at least 80% of approved teachers, within 8 weeks of now", () => {
    const approved = approvedTeachers();
    const withDays = new Set(data.teacherDays.map((d) => d.teacherId));
    const applied = new Set(data.teachers.filter((t) => t.status === "applied").map((t) => t.id));
    for (const id of withDays) expect(applied.has(id)).toBe(false);
    expect(approved.filter((t) => withDays.has(t.id)).length).toBeGreaterThanOrEqual(
      Math.ceil(approved.length * 0.8),
    );

    // Local "today" is within a day of the UTC date; eight weeks = 56 local days; a window
    // may land on the UTC day either side of its local date.
    const today = NOW.toISOString().slice(0, 10);
    const first = addUtcDays(today, -2);
    const last = addUtcDays(today, 8 * 7 + 1);
    for (const d of data.teacherDays) {
      expect(d.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.day >= first && d.day <= last, `${d.day} out of ${first}..${last}`).toBe(true);
    }
  });

  it("stores each teacher-day once, as 96 bits with only Unpublished and Published slots", () => {
    const keys = data.teacherDays.map((d) => `${d.teacherId}/${d.day}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of data.teacherDays) {
      expect(d.slots).toMatch(/^[01]{96}$/);
      for (let i = 0; i < 96; i += 2) expect(["00", "01"]).toContain(d.slots.slice(i, i + 2));
      const states = decodeDay(d.slots);
      expect(states.some((s) => s === SlotState.Published)).toBe(true);
    }
  });

  it("creates the demo accounts with the right roles", () => {
    const byEmail = new Map(data.users.map((u) => [u.email, u]));
    expect(byEmail.get(DEMO_ACCOUNTS.student)).toMatchObject({
      role: "student",
      withPassword: true,
    });
    expect(byEmail.get(DEMO_ACCOUNTS.teacher)).toMatchObject({
      role: "teacher",
      withPassword: true,
    });
    expect(byEmail.get(DEMO_ACCOUNTS.admin)).toMatchObject({ role: "admin", withPassword: true });
    const demoTeacher = data.teachers.find(
      (t) => t.userKey === byEmail.get(DEMO_ACCOUNTS.teacher)?.key,
    );
    expect(demoTeacher?.status).toBe("approved");
    expect(data.teacherDays.some((d) => d.teacherId === demoTeacher?.id)).toBe(true);
  });

  it("links every teacher to a teacher user", () => {
    const byKey = new Map(data.users.map((u) => [u.key, u]));
    for (const t of data.teachers) expect(byKey.get(t.userKey)?.role).toBe("teacher");
  });

  it("uses unique ids, user keys and emails", () => {
    const ids = [
      ...data.teachers.map((t) => t.id),
      ...data.courses.map((c) => c.id),
      ...data.courseVersions.map((v) => v.id),
      ...data.reviews.map((r) => r.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[1-9][0-9]{0,18}$/);
    const keys = data.users.map((u) => u.key);
    expect(new Set(keys).size).toBe(keys.length);
    const emails = data.users.map((u) => u.email.toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
  });
});
