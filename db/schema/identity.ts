import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, instant, snowflakeKey } from "./columns";

export const userRole = pgEnum("user_role", ["student", "teacher", "admin"]);

/** Accounts of every role. Column names follow what the Auth.js drizzle adapter expects. */
export const users = pgTable("users", {
  id: uuid().primaryKey().defaultRandom(),
  name: text(),
  /** Stored lower-cased (see server/identity/email.ts) so the unique constraint is case-insensitive. */
  email: text().unique(),
  emailVerified: instant(),
  image: text(),
  /** argon2id hash; null for accounts that only sign in through SSO or phone. */
  passwordHash: text(),
  role: userRole().notNull().default("student"),
  /** Preferred display zone; null means "use the browser's zone". */
  timeZone: text(),
  createdAt: createdAt(),
});

export const accounts = pgTable(
  "accounts",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: text(),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index().on(t.userId)],
);

/** Used only if a database session strategy is configured; sign-in uses JWT sessions. */
export const sessions = pgTable("sessions", {
  sessionToken: text().primaryKey(),
  userId: uuid()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: instant().notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text().notNull(),
    token: text().notNull(),
    expires: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const teacherStatus = pgEnum("teacher_status", [
  "applied",
  "approved",
  "rejected",
  "suspended",
]);

/**
 * A teacher's public profile: the merchant of the marketplace. Only `approved` teachers are
 * listed, searchable and can sell. The rating columns are a running aggregate of `reviews`,
 * written in the same transaction as each review, so listings sort by rating without a scan.
 */
export const teachers = pgTable(
  "teachers",
  {
    id: snowflakeKey(),
    userId: uuid()
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "cascade" }),
    displayName: text().notNull(),
    headline: text().notNull().default(""),
    bio: text().notNull().default(""),
    photoUrl: text(),
    /** An http(s) link to an intro video, validated on input. */
    introVideoUrl: text(),
    /** IANA zone the teacher plans their week in, e.g. "Europe/London". */
    timeZone: text().notNull(),
    languages: text().array().notNull().default(sql`'{}'::text[]`),
    status: teacherStatus().notNull().default("applied"),
    statusReason: text(),
    approvedAt: instant(),
    ratingCount: integer().notNull().default(0),
    ratingSum: integer().notNull().default(0),
    /** How long before a lesson a student may still book it (a teacher setting). */
    minNoticeMinutes: integer().notNull().default(120),
    /** The platform's commission on this teacher's lessons, in basis points; null: the default. */
    commissionBps: integer(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    index().on(t.status, t.ratingCount),
    check(
      "teachers_rating_aggregate",
      sql`${t.ratingCount} >= 0 AND ${t.ratingSum} BETWEEN ${t.ratingCount} AND 5 * ${t.ratingCount}`,
    ),
    check("teachers_min_notice", sql`${t.minNoticeMinutes} BETWEEN 0 AND 10080`),
    check(
      "teachers_commission",
      sql`${t.commissionBps} IS NULL OR ${t.commissionBps} BETWEEN 0 AND 10000`,
    ),
  ],
);
