import { sql } from "drizzle-orm";
import {
  char,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, instant, snowflake, snowflakeKey } from "./columns";
import { teachers, users } from "./identity";
import { lessons } from "./trade";

export const subjects = pgTable("subjects", {
  slug: text().primaryKey(),
  name: text().notNull(),
  nameZh: text().notNull(),
  sortOrder: smallint().notNull().default(0),
});

export const teacherSubjects = pgTable(
  "teacher_subjects",
  {
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id, { onDelete: "cascade" }),
    subjectSlug: text()
      .notNull()
      .references(() => subjects.slug),
  },
  (t) => [primaryKey({ columns: [t.teacherId, t.subjectSlug] }), index().on(t.subjectSlug)],
);

export const courseStatus = pgEnum("course_status", ["active", "retired"]);
export const courseLevel = pgEnum("course_level", ["all", "beginner", "intermediate", "advanced"]);

/** A course is the stable identity; what it says and costs lives in `course_versions`. */
export const courses = pgTable(
  "courses",
  {
    id: snowflakeKey(),
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id, { onDelete: "cascade" }),
    subjectSlug: text()
      .notNull()
      .references(() => subjects.slug),
    status: courseStatus().notNull().default("active"),
    /** The version students buy now; older versions stay for the orders that point at them. */
    currentVersion: integer().notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.teacherId)],
);

/** Immutable: an edit inserts a new version, so orders can point at exactly what was sold. */
export const courseVersions = pgTable(
  "course_versions",
  {
    id: snowflakeKey(),
    courseId: snowflake()
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    title: text().notNull(),
    description: text().notNull().default(""),
    level: courseLevel().notNull().default("all"),
    /** Integer minor units (cents) per hour of lessons. */
    pricePerHour: integer().notNull(),
    currency: char({ length: 3 }).notNull().default("USD"),
    /** Hours a student may buy at once, e.g. {1,10,20,60,100}. */
    packageHours: integer().array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.courseId, t.version),
    check("course_versions_price_positive", sql`${t.pricePerHour} > 0`),
    check(
      "course_versions_packages",
      sql`cardinality(${t.packageHours}) > 0 AND 0 < ALL(${t.packageHours}) AND 100 >= ALL(${t.packageHours})`,
    ),
  ],
);

export const reviews = pgTable(
  "reviews",
  {
    id: snowflakeKey(),
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id, { onDelete: "cascade" }),
    studentId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    courseId: snowflake().references(() => courses.id, { onDelete: "set null" }),
    /** The completed lesson reviewed: one review per lesson (demo reviews have none). */
    lessonId: snowflake()
      .unique()
      .references(() => lessons.id),
    rating: smallint().notNull(),
    body: text().notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.teacherId, t.createdAt),
    check("reviews_rating_range", sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);

/** Postgres full-text document; written and read only through SQL (server/catalog/search*). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * One search document per teacher, maintained by the app (server/catalog/searchDocument.ts)
 * in the same transaction as the writes it summarises. `document` weighs the name (A) over
 * headline, subjects and current course titles (B) and the bio (C); `haystack` is the same
 * text lower-cased for trigram and substring matching, which also finds Chinese words the
 * `simple` parser does not split. Listing status is checked at query time, not stored here.
 */
export const teacherSearch = pgTable(
  "teacher_search",
  {
    teacherId: snowflake()
      .primaryKey()
      .references(() => teachers.id, { onDelete: "cascade" }),
    document: tsvector().notNull(),
    /** Lower-cased display name, for fuzzy name matching. */
    name: text().notNull(),
    haystack: text().notNull(),
    refreshedAt: instant().notNull().defaultNow(),
  },
  (t) => [
    index("teacher_search_document_idx").using("gin", t.document),
    index("teacher_search_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("teacher_search_haystack_trgm_idx").using("gin", t.haystack.op("gin_trgm_ops")),
  ],
);
