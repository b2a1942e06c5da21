import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { courses, courseVersions, subjects, teacherSubjects } from "../../db/schema";
import { DomainError } from "../domainError";
import { PLATFORM_CURRENCY } from "./currency";
import { isCurrentVersion } from "./currentVersion";
import { refreshTeacherSearch } from "./searchDocument";
import {
  type CreateCourseInput,
  sameCourseContent,
  type UpdateCourseInput,
} from "./teacherProfileRules";

/**
 * A teacher's own courses. A course is a stable id; each edit inserts an immutable
 * `course_versions` row and moves `courses.current_version` to it, so orders that point at an
 * older version keep exactly what was sold.
 */

const NOT_FOUND = () => new DomainError("not_found", "No such course", "courseId");

const versionColumns = {
  versionId: courseVersions.id,
  version: courseVersions.version,
  title: courseVersions.title,
  description: courseVersions.description,
  level: courseVersions.level,
  pricePerHour: courseVersions.pricePerHour,
  currency: courseVersions.currency,
  packageHours: courseVersions.packageHours,
  versionCreatedAt: courseVersions.createdAt,
};

/** A teacher's courses at their current version, with the subject's name. */
function coursesWithCurrentVersion(db: Executor, where: SQL | undefined) {
  return db
    .select({
      id: courses.id,
      subjectSlug: courses.subjectSlug,
      subjectName: subjects.name,
      status: courses.status,
      createdAt: courses.createdAt,
      ...versionColumns,
    })
    .from(courses)
    .innerJoin(courseVersions, isCurrentVersion)
    .innerJoin(subjects, eq(subjects.slug, courses.subjectSlug))
    .where(where);
}

/** All of a teacher's courses, current version of each: active first, newest first. */
export function listOwnCourses(db: Executor, teacherId: string) {
  return coursesWithCurrentVersion(db, eq(courses.teacherId, teacherId)).orderBy(
    asc(courses.status),
    desc(courses.createdAt),
    desc(courses.id),
  );
}

export type OwnCourse = Awaited<ReturnType<typeof listOwnCourses>>[number];

async function ownCourse(db: Executor, teacherId: string, courseId: string) {
  const [course] = await db
    .select({
      id: courses.id,
      subjectSlug: courses.subjectSlug,
      status: courses.status,
      currentVersion: courses.currentVersion,
    })
    .from(courses)
    .where(and(eq(courses.id, courseId), eq(courses.teacherId, teacherId)))
    .limit(1);
  if (!course) throw NOT_FOUND();
  return course;
}

async function ownCourseRow(db: Executor, teacherId: string, courseId: string) {
  const [row] = await coursesWithCurrentVersion(
    db,
    and(eq(courses.id, courseId), eq(courses.teacherId, teacherId)),
  ).limit(1);
  if (!row) throw NOT_FOUND();
  return row;
}

/** Every version of one of the teacher's courses, newest first; past versions stay readable. */
export async function listCourseVersions(db: Executor, teacherId: string, courseId: string) {
  const course = await ownCourse(db, teacherId, courseId);
  const versions = await db
    .select({ ...versionColumns })
    .from(courseVersions)
    .where(eq(courseVersions.courseId, courseId))
    .orderBy(desc(courseVersions.version));
  return { courseId, currentVersion: course.currentVersion, versions };
}

/**
 * The subject is on the teacher's profile. The row is share-locked until the transaction ends,
 * so a concurrent profile save cannot drop the subject under a course being created.
 */
async function assertTeachesSubject(db: Executor, teacherId: string, subject: string) {
  const [row] = await db
    .select({ name: subjects.name })
    .from(teacherSubjects)
    .innerJoin(subjects, eq(subjects.slug, teacherSubjects.subjectSlug))
    .where(and(eq(teacherSubjects.teacherId, teacherId), eq(teacherSubjects.subjectSlug, subject)))
    .limit(1)
    .for("share", { of: teacherSubjects });
  if (!row) {
    throw new DomainError(
      "invalid",
      "Choose one of the subjects on your profile (add it to your profile first)",
      "subject",
    );
  }
}

/** A new course with version 1, in one transaction. */
export async function createCourse(db: Executor, teacherId: string, input: CreateCourseInput) {
  const courseId = await db.transaction(async (tx) => {
    await assertTeachesSubject(tx, teacherId, input.subject);
    const [course] = await tx
      .insert(courses)
      .values({ teacherId, subjectSlug: input.subject, currentVersion: 1 })
      .returning({ id: courses.id });
    await tx.insert(courseVersions).values({
      courseId: course!.id,
      version: 1,
      title: input.title,
      description: input.description,
      level: input.level,
      pricePerHour: input.pricePerHour,
      currency: PLATFORM_CURRENCY,
      packageHours: input.packageHours,
    });
    await refreshTeacherSearch(tx, teacherId);
    return course!.id;
  });
  return ownCourseRow(db, teacherId, courseId);
}

/**
 * An edit: version N+1 is inserted and becomes current in one transaction. `input.version` is
 * the version the teacher edited; `UPDATE … WHERE current_version = version` is the
 * compare-and-set, so of two edits based on the same version one wins and the other gets a
 * conflict about `version` instead of silently overwriting it. An edit that changes nothing
 * creates no version.
 */
export async function updateCourse(db: Executor, teacherId: string, input: UpdateCourseInput) {
  const changed = await db.transaction(async (tx) => {
    const current = await ownCourseRow(tx, teacherId, input.courseId);
    if (current.version === input.version && sameCourseContent(current, input)) return false;

    const [bumped] = await tx
      .update(courses)
      .set({ currentVersion: sql`${courses.currentVersion} + 1` })
      .where(
        and(
          eq(courses.id, input.courseId),
          eq(courses.teacherId, teacherId),
          eq(courses.currentVersion, input.version),
        ),
      )
      .returning({ currentVersion: courses.currentVersion });
    if (!bumped) {
      const latest = await ownCourse(tx, teacherId, input.courseId);
      throw new DomainError(
        "conflict",
        `This course was changed elsewhere (it is now at version ${latest.currentVersion}); ` +
          "reload it and make your edit again",
        "version",
      );
    }
    await tx.insert(courseVersions).values({
      courseId: input.courseId,
      version: bumped.currentVersion,
      title: input.title,
      description: input.description,
      level: input.level,
      pricePerHour: input.pricePerHour,
      currency: current.currency,
      packageHours: input.packageHours,
    });
    await refreshTeacherSearch(tx, teacherId);
    return true;
  });
  return { changed, course: await ownCourseRow(db, teacherId, input.courseId) };
}

/**
 * Retired courses disappear from the studio and cannot be bought; orders keep their version.
 * Reactivating needs the subject to be on the profile again.
 */
export async function setCourseStatus(
  db: Executor,
  teacherId: string,
  courseId: string,
  status: "active" | "retired",
) {
  await db.transaction(async (tx) => {
    const course = await ownCourse(tx, teacherId, courseId);
    if (course.status === status) return;
    if (status === "active") await assertTeachesSubject(tx, teacherId, course.subjectSlug);
    await tx
      .update(courses)
      .set({ status })
      .where(and(eq(courses.id, courseId), eq(courses.teacherId, teacherId)));
    await refreshTeacherSearch(tx, teacherId);
  });
  return ownCourseRow(db, teacherId, courseId);
}
