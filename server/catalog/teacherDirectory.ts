import { and, asc, desc, eq, exists, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { courses, courseVersions, subjects, teacherSubjects, teachers } from "../../db/schema";
import { isCurrentVersion } from "./currentVersion";
import { ratingAverage } from "./rating";

export interface TeacherListQuery {
  subject?: string;
  page: number;
  pageSize: number;
}

// Correlated subqueries are built with the query builder so drizzle table-qualifies columns.
function fromPricePerHour(db: Executor) {
  const lowest = db
    .select({ price: sql`min(${courseVersions.pricePerHour})` })
    .from(courses)
    .innerJoin(courseVersions, isCurrentVersion)
    .where(and(eq(courses.teacherId, teachers.id), eq(courses.status, "active")));
  return sql<number | null>`(${lowest})`.mapWith((v) => (v === null ? null : Number(v)));
}

function subjectSlugs(db: Executor) {
  const slugs = db
    .select({
      slugs: sql`coalesce(array_agg(${teacherSubjects.subjectSlug} ORDER BY ${teacherSubjects.subjectSlug}), '{}')`,
    })
    .from(teacherSubjects)
    .where(eq(teacherSubjects.teacherId, teachers.id));
  return sql<string[]>`(${slugs})`;
}

/** Approved teachers, best rated first, one page at a time. */
export async function listApprovedTeachers(db: Executor, query: TeacherListQuery) {
  const where = and(
    eq(teachers.status, "approved"),
    query.subject
      ? exists(
          db
            .select({ one: sql`1` })
            .from(teacherSubjects)
            .where(
              and(
                eq(teacherSubjects.teacherId, teachers.id),
                eq(teacherSubjects.subjectSlug, query.subject),
              ),
            ),
        )
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: teachers.id,
        displayName: teachers.displayName,
        headline: teachers.headline,
        photoUrl: teachers.photoUrl,
        timeZone: teachers.timeZone,
        languages: teachers.languages,
        ratingCount: teachers.ratingCount,
        ratingSum: teachers.ratingSum,
        subjects: subjectSlugs(db),
        fromPricePerHour: fromPricePerHour(db),
      })
      .from(teachers)
      .where(where)
      .orderBy(
        // Bayesian average (prior: five 4-star reviews) so two 5-star reviews do not outrank
        // forty 4.8-star ones.
        desc(sql`(${teachers.ratingSum} + 20)::float8 / (${teachers.ratingCount} + 5)`),
        desc(teachers.ratingCount),
        asc(teachers.id),
      )
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(teachers)
      .where(where),
  ]);
  const count = total?.count ?? 0;
  return {
    items: rows.map(({ ratingSum, ...row }) => ({
      ...row,
      ratingAverage: ratingAverage(ratingSum, row.ratingCount),
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: count,
    pageCount: Math.max(1, Math.ceil(count / query.pageSize)),
  };
}

export function listSubjects(db: Executor) {
  return db
    .select({ slug: subjects.slug, name: subjects.name, nameZh: subjects.nameZh })
    .from(subjects)
    .orderBy(asc(subjects.sortOrder));
}
