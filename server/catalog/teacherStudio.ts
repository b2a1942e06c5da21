import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import {
  courses,
  courseVersions,
  reviews,
  subjects,
  teacherSubjects,
  teachers,
} from "../../db/schema";
import { DomainError } from "../domainError";
import { isCurrentVersion } from "./currentVersion";
import { ratingAverage } from "./rating";

/** Current versions of a teacher's active courses, cheapest first. */
export function activeCourses(db: Executor, teacherId: string) {
  return db
    .select({
      id: courses.id,
      subjectSlug: courses.subjectSlug,
      versionId: courseVersions.id,
      version: courseVersions.version,
      title: courseVersions.title,
      description: courseVersions.description,
      level: courseVersions.level,
      pricePerHour: courseVersions.pricePerHour,
      currency: courseVersions.currency,
      packageHours: courseVersions.packageHours,
    })
    .from(courses)
    .innerJoin(courseVersions, isCurrentVersion)
    .where(and(eq(courses.teacherId, teacherId), eq(courses.status, "active")))
    .orderBy(asc(courseVersions.pricePerHour), asc(courses.id));
}

/** An approved teacher, or a not_found error: unapproved profiles are not public. */
export async function approvedTeacher(db: Executor, teacherId: string) {
  const [teacher] = await db
    .select({
      id: teachers.id,
      displayName: teachers.displayName,
      headline: teachers.headline,
      bio: teachers.bio,
      photoUrl: teachers.photoUrl,
      introVideoUrl: teachers.introVideoUrl,
      timeZone: teachers.timeZone,
      languages: teachers.languages,
      ratingCount: teachers.ratingCount,
      ratingSum: teachers.ratingSum,
      createdAt: teachers.createdAt,
    })
    .from(teachers)
    .where(and(eq(teachers.id, teacherId), eq(teachers.status, "approved")))
    .limit(1);
  if (!teacher) throw new DomainError("not_found", "No such teacher", "id");
  return teacher;
}

/**
 * The teacher's part of the static studio page. Reviews are paged by `listReviews`
 * (catalog/reviews.ts); live price and free slots are separate client queries.
 */
export async function getTeacherStudio(db: Executor, teacherId: string) {
  const { ratingSum, ...teacher } = await approvedTeacher(db, teacherId);
  const [subjectRows, courseRows, distribution] = await Promise.all([
    db
      .select({ slug: subjects.slug, name: subjects.name, nameZh: subjects.nameZh })
      .from(teacherSubjects)
      .innerJoin(subjects, eq(subjects.slug, teacherSubjects.subjectSlug))
      .where(eq(teacherSubjects.teacherId, teacherId))
      .orderBy(asc(subjects.sortOrder)),
    activeCourses(db, teacherId),
    db
      .select({ rating: reviews.rating, count: sql<number>`count(*)`.mapWith(Number) })
      .from(reviews)
      .where(eq(reviews.teacherId, teacherId))
      .groupBy(reviews.rating),
  ]);
  const stars = [5, 4, 3, 2, 1].map((rating) => ({
    rating,
    count: distribution.find((d) => d.rating === rating)?.count ?? 0,
  }));
  return {
    ...teacher,
    ratingAverage: ratingAverage(ratingSum, teacher.ratingCount),
    ratingDistribution: stars,
    subjects: subjectRows,
    courses: courseRows,
  };
}

export type TeacherStudio = Awaited<ReturnType<typeof getTeacherStudio>>;
