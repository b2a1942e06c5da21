import { and, count, eq, gte, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { courses, teacherDays, teachers } from "../../db/schema";
import { dayHasFreeSlot } from "../inventory/freeSlots";

/** A teacher's own view of their profile: status and what they have on offer. */
export async function getOwnTeacherProfile(db: Executor, teacherId: string) {
  const today = new Date().toISOString().slice(0, 10);
  const [profile] = await db
    .select({
      id: teachers.id,
      displayName: teachers.displayName,
      headline: teachers.headline,
      timeZone: teachers.timeZone,
      status: teachers.status,
      statusReason: teachers.statusReason,
      ratingCount: teachers.ratingCount,
      activeCourses: sql<number>`(${db
        .select({ n: count() })
        .from(courses)
        .where(and(eq(courses.teacherId, teachers.id), eq(courses.status, "active")))})`.mapWith(
        Number,
      ),
      publishedDays: sql<number>`(${db
        .select({ n: count() })
        .from(teacherDays)
        .where(
          and(eq(teacherDays.teacherId, teachers.id), gte(teacherDays.day, today), dayHasFreeSlot),
        )})`.mapWith(Number),
    })
    .from(teachers)
    .where(eq(teachers.id, teacherId))
    .limit(1);
  return profile!;
}
