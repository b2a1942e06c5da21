import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import {
  courses,
  courseVersions,
  reviews,
  subjects,
  teacherSubjects,
  teachers,
  users,
} from "../db/schema";
import { SUBJECTS } from "../db/seed/demoData";
import type { AppSession, Role } from "../server/identity/session";

/** Real rows in the worker's own database; every call makes new ones, so tests never collide. */
export async function ensureSubjects() {
  await getDb()
    .insert(subjects)
    .values(SUBJECTS.map((s, i) => ({ ...s, sortOrder: i })))
    .onConflictDoNothing();
}

export async function createUser(role: Role = "student", name = "Test User") {
  const [user] = await getDb()
    .insert(users)
    .values({ name, email: `${randomUUID()}@test.halfhour.dev`, role })
    .returning();
  return user!;
}

export async function createTeacher(
  options: {
    status?: "applied" | "approved" | "rejected" | "suspended";
    subjects?: string[];
    timeZone?: string;
    displayName?: string;
    /** Default 120 like the column; tests publishing time within two hours set 0. */
    minNoticeMinutes?: number;
    courses?: { title: string; pricePerHour: number; packageHours: number[]; subject?: string }[];
  } = {},
) {
  await ensureSubjects();
  const db = getDb();
  const user = await createUser("teacher", options.displayName ?? "Test Teacher");
  const subjectSlugs = options.subjects ?? ["mathematics"];
  const [teacher] = await db
    .insert(teachers)
    .values({
      userId: user.id,
      displayName: options.displayName ?? "Test Teacher",
      headline: "Teaches tests",
      timeZone: options.timeZone ?? "Europe/London",
      status: options.status ?? "approved",
      minNoticeMinutes: options.minNoticeMinutes ?? 120,
    })
    .returning();
  await db
    .insert(teacherSubjects)
    .values(subjectSlugs.map((subjectSlug) => ({ teacherId: teacher!.id, subjectSlug })));
  for (const c of options.courses ?? [
    { title: "Algebra", pricePerHour: 3000, packageHours: [1, 10] },
  ]) {
    const [course] = await db
      .insert(courses)
      .values({ teacherId: teacher!.id, subjectSlug: c.subject ?? subjectSlugs[0]! })
      .returning();
    await db.insert(courseVersions).values({
      courseId: course!.id,
      version: 1,
      title: c.title,
      pricePerHour: c.pricePerHour,
      packageHours: c.packageHours,
    });
  }
  return { user, teacher: teacher! };
}

export async function addReview(teacherId: string, rating: number, body = "Good") {
  const student = await createUser("student", "Rita Reviewer");
  const db = getDb();
  await db.insert(reviews).values({ teacherId, studentId: student.id, rating, body });
  await db
    .update(teachers)
    .set({
      ratingCount: sql`${teachers.ratingCount} + 1`,
      ratingSum: sql`${teachers.ratingSum} + ${rating}`,
    })
    .where(eq(teachers.id, teacherId));
}

export function sessionOf(user: {
  id: string;
  role: Role;
  name: string | null;
  email: string | null;
}): AppSession {
  return { user: { id: user.id, role: user.role, name: user.name, email: user.email } };
}
