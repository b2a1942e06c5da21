import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, instant, snowflake, snowflakeKey } from "./columns";

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
  /** E.164 mobile number, set only once verified by a one-time code (phone sign-in). */
  phone: text().unique(),
  phoneVerified: instant(),
  /**
   * Bumped on password change or reset and on "sign out everywhere": a session cookie carries
   * the generation it was issued under, and an older one is refused.
   */
  sessionGeneration: integer().notNull().default(0),
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

export const phoneCodePurpose = pgEnum("phone_code_purpose", ["sign_in", "link"]);

/**
 * One-time codes sent by SMS. Only a hash of the code is kept; a code is good for 5 minutes,
 * one successful use and at most 5 attempts (the check constraint holds the cap even if the
 * code is wrong). Codes are looked up by number, newest first.
 */
export const phoneCodes = pgTable(
  "phone_codes",
  {
    id: snowflakeKey(),
    phone: text().notNull(),
    purpose: phoneCodePurpose().notNull(),
    /** For `link`: the signed-in account that asked to add this number. */
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    attempts: integer().notNull().default(0),
    expiresAt: instant().notNull(),
    consumedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.phone, t.createdAt),
    check("phone_codes_attempts", sql`${t.attempts} BETWEEN 0 AND 5`),
    check("phone_codes_link_user", sql`(${t.purpose} = 'link') = (${t.userId} IS NOT NULL)`),
  ],
);

export const accountTokenPurpose = pgEnum("account_token_purpose", [
  "verify_email",
  "reset_password",
]);

/**
 * Single-use tokens mailed to a user (email verification, password reset). The table keeps
 * the SHA-256 of the token, never the token, so a database leak cannot reset a password.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: accountTokenPurpose().notNull(),
    /** The address the token was sent to: a verification is for that address only. */
    email: text().notNull(),
    expiresAt: instant().notNull(),
    usedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId, t.purpose)],
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

export const applicationStatus = pgEnum("teacher_application_status", [
  "submitted",
  "approved",
  "rejected",
]);

/**
 * An application to teach. A user has at most one open (`submitted`) application; a rejected
 * one stays as history and the user may apply again. Approval creates or re-activates the
 * `teachers` row in the same transaction. The certificate is a private upload (storage key),
 * shown only to the applicant and admins.
 */
export const teacherApplications = pgTable(
  "teacher_applications",
  {
    id: snowflakeKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    displayName: text().notNull(),
    headline: text().notNull(),
    subjects: text().array().notNull(),
    experience: text().notNull(),
    timeZone: text().notNull(),
    /** A sketch of the weekly hours the applicant intends to offer, e.g. "Mon–Fri 18:00–21:00". */
    sampleSchedule: text().notNull(),
    certificateKey: text().notNull(),
    certificateName: text().notNull(),
    certificateType: text().notNull(),
    status: applicationStatus().notNull().default("submitted"),
    decisionReason: text(),
    reviewedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    reviewedAt: instant(),
    teacherId: snowflake().references(() => teachers.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.status, t.createdAt),
    index().on(t.userId, t.createdAt),
    uniqueIndex("teacher_applications_one_open").on(t.userId).where(sql`${t.status} = 'submitted'`),
    check(
      "teacher_applications_reason",
      sql`${t.status} <> 'rejected' OR ${t.decisionReason} IS NOT NULL`,
    ),
  ],
);
