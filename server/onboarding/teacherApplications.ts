import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor, Transaction } from "../../db/client";
import { findPostgresError } from "../../db/postgresError";
import { subjects, teacherApplications, teacherSubjects, teachers, users } from "../../db/schema";
import { refreshTeacherSearch } from "../catalog/searchDocument";
import { DomainError } from "../domainError";
import { teacherAccountOf } from "../identity/teacherAccount";
import type { ObjectStorage } from "../storage/port";
import {
  type ApplicationFields,
  type ApplicationStatus,
  applyRefusal,
  approvalPlan,
  certificateDisplayName,
  decisionRefusal,
  REVIEW_LIST_LIMIT,
} from "./applicationRules";
import { certificateUrl, checkCertificate, storeCertificate } from "./certificates";
import { studentCommitments } from "./studentCommitments";

/** The one-open-application partial unique index (db/schema/identity.ts). */
const ONE_OPEN = "teacher_applications_one_open";

/** The account's role, teacher status and open application; `lock` row-locks the user. */
async function applicantState(db: Executor, userId: string, options: { lock?: boolean } = {}) {
  const query = db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  const [user] = await (options.lock ? query.for("update") : query);
  if (!user) throw new DomainError("not_found", "No such account");
  const teacher = await teacherAccountOf(db, userId);
  const [open] = await db
    .select({ id: teacherApplications.id })
    .from(teacherApplications)
    .where(and(eq(teacherApplications.userId, userId), eq(teacherApplications.status, "submitted")))
    .limit(1);
  return {
    role: user.role,
    teacherStatus: teacher?.status ?? null,
    hasOpenApplication: !!open,
    commitments: await studentCommitments(db, userId),
  };
}

async function assertMayApply(db: Executor, userId: string, options: { lock?: boolean } = {}) {
  const refusal = applyRefusal(await applicantState(db, userId, options));
  if (refusal) throw new DomainError("conflict", refusal);
}

async function assertSubjectsExist(db: Executor, slugs: string[]) {
  const known = await db
    .select({ slug: subjects.slug })
    .from(subjects)
    .where(inArray(subjects.slug, slugs));
  const unknown = slugs.filter((s) => !known.some((k) => k.slug === s));
  if (unknown.length > 0) {
    throw new DomainError("invalid", `Unknown subject: ${unknown.join(", ")}`, "subjects");
  }
}

/**
 * A student applies to teach. Everything that can fail is checked before the certificate is
 * stored (so refused attempts leave no files behind); the file is written before the row (an
 * orphan file is harmless, a row naming a missing file is not); the row is inserted in one
 * transaction that re-checks under the user's row lock, and the partial unique index keeps
 * one open application per user even against a race.
 */
export async function submitApplication(
  db: Executor,
  storage: ObjectStorage,
  userId: string,
  input: ApplicationFields,
  certificate: { bytes: Uint8Array; name: string },
) {
  const file = await checkCertificate(certificate.bytes);
  await assertSubjectsExist(db, input.subjects);
  await assertMayApply(db, userId);
  const key = await storeCertificate(storage, certificate.bytes, file);
  try {
    return await db.transaction(async (tx) => {
      await assertMayApply(tx, userId, { lock: true });
      const [created] = await tx
        .insert(teacherApplications)
        .values({
          userId,
          displayName: input.displayName,
          headline: input.headline,
          subjects: input.subjects,
          experience: input.experience,
          timeZone: input.timeZone,
          sampleSchedule: input.sampleSchedule,
          certificateKey: key,
          certificateName: certificateDisplayName(certificate.name, file.extension),
          certificateType: file.mime,
        })
        .returning({
          id: teacherApplications.id,
          status: teacherApplications.status,
          createdAt: teacherApplications.createdAt,
        });
      return created!;
    });
  } catch (error) {
    if (findPostgresError(error, new Set(["23505"]))?.constraint === ONE_OPEN) {
      throw new DomainError("conflict", "You already have an application waiting for review");
    }
    throw error;
  }
}

const applicationColumns = {
  id: teacherApplications.id,
  userId: teacherApplications.userId,
  status: teacherApplications.status,
  displayName: teacherApplications.displayName,
  headline: teacherApplications.headline,
  subjects: teacherApplications.subjects,
  experience: teacherApplications.experience,
  timeZone: teacherApplications.timeZone,
  sampleSchedule: teacherApplications.sampleSchedule,
  certificateName: teacherApplications.certificateName,
  certificateType: teacherApplications.certificateType,
  decisionReason: teacherApplications.decisionReason,
  reviewedAt: teacherApplications.reviewedAt,
  teacherId: teacherApplications.teacherId,
  createdAt: teacherApplications.createdAt,
};

/**
 * What /teach shows the signed-in user: their role as stored now (the session's may be up to
 * a minute old), their latest application and their teacher profile's status, if any.
 */
export async function myTeaching(db: Executor, userId: string) {
  const [user] = await db
    .select({ role: users.role })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new DomainError("not_found", "No such account");
  const [latest] = await db
    .select(applicationColumns)
    .from(teacherApplications)
    .where(eq(teacherApplications.userId, userId))
    .orderBy(desc(teacherApplications.createdAt), desc(teacherApplications.id))
    .limit(1);
  const [teacher] = await db
    .select({ id: teachers.id, status: teachers.status, statusReason: teachers.statusReason })
    .from(teachers)
    .where(eq(teachers.userId, userId))
    .limit(1);
  return {
    role: user.role,
    application: latest
      ? { ...withoutUser(latest), certificateUrl: certificateUrl(latest.id) }
      : null,
    teacher: teacher ?? null,
  };
}

const withoutUser = <T extends { userId: string }>({ userId: _userId, ...rest }: T) => rest;

/**
 * Applications for review: waiting ones first, oldest first (a queue); decided ones after,
 * newest first. With the applicant's name and email and the reviewer's name.
 */
export async function listApplications(db: Executor, filter: { status?: ApplicationStatus }) {
  // pg-core's alias, not aliasedTable: two aliases of one table must differ in their types too.
  const applicant = alias(users, "applicant");
  const reviewer = alias(users, "reviewer");
  const waiting = sql`${teacherApplications.status} = 'submitted'`;
  const rows = await db
    .select({
      ...applicationColumns,
      applicantName: applicant.name,
      applicantEmail: applicant.email,
      reviewerName: reviewer.name,
    })
    .from(teacherApplications)
    .innerJoin(applicant, eq(applicant.id, teacherApplications.userId))
    .leftJoin(reviewer, eq(reviewer.id, teacherApplications.reviewedBy))
    .where(filter.status ? eq(teacherApplications.status, filter.status) : undefined)
    .orderBy(
      desc(waiting),
      asc(sql`CASE WHEN ${waiting} THEN ${teacherApplications.createdAt} END`),
      desc(teacherApplications.createdAt),
      desc(teacherApplications.id),
    )
    .limit(REVIEW_LIST_LIMIT);
  return rows.map((row) => ({ ...withoutUser(row), certificateUrl: certificateUrl(row.id) }));
}

/** The application under its row lock: concurrent decisions on it run one after the other. */
async function lockApplication(tx: Transaction, applicationId: string) {
  const [application] = await tx
    .select()
    .from(teacherApplications)
    .where(eq(teacherApplications.id, applicationId))
    .for("update");
  if (!application) throw new DomainError("not_found", "No such application", "applicationId");
  const refusal = decisionRefusal(application.status);
  if (refusal) throw new DomainError("conflict", refusal, "applicationId");
  return application;
}

/** The decision itself, guarded by the status it was taken from. */
async function recordDecision(
  tx: Transaction,
  applicationId: string,
  changes: Partial<typeof teacherApplications.$inferInsert>,
) {
  const [decided] = await tx
    .update(teacherApplications)
    .set(changes)
    .where(
      and(eq(teacherApplications.id, applicationId), eq(teacherApplications.status, "submitted")),
    )
    .returning({ id: teacherApplications.id });
  if (!decided) {
    throw new DomainError("conflict", "This application has already been decided", "applicationId");
  }
}

/**
 * Approves a submitted application in one transaction: the application → approved (who and
 * when), the teacher profile created (or an old unapproved one re-activated) from it as
 * approved, its subjects added, the user's role → teacher, and the profile's search document
 * written. Locks: the application, then the user, then the teacher row. Of concurrent
 * decisions on one application exactly one wins; the others get a conflict.
 * The caller invalidates the teacher's cached reads after the commit (markTeacherChanged).
 */
export async function approveApplication(
  db: Executor,
  reviewerId: string,
  applicationId: string,
  now: Date = new Date(),
) {
  return db.transaction(async (tx) => {
    const application = await lockApplication(tx, applicationId);
    const [user] = await tx
      .select({ role: users.role })
      .from(users)
      .where(eq(users.id, application.userId))
      .for("update");
    const [existing] = await tx
      .select({ id: teachers.id, status: teachers.status })
      .from(teachers)
      .where(eq(teachers.userId, application.userId))
      .for("update");
    const plan = approvalPlan(
      user!.role,
      existing?.status ?? null,
      await studentCommitments(tx, application.userId),
    );
    if ("refusal" in plan) throw new DomainError("conflict", plan.refusal, "applicationId");

    const profile = {
      displayName: application.displayName,
      headline: application.headline,
      timeZone: application.timeZone,
      status: "approved" as const,
      statusReason: null,
      approvedAt: now,
      updatedAt: now,
    };
    let teacherId: string;
    if (plan.action === "create") {
      const [created] = await tx
        .insert(teachers)
        .values({ userId: application.userId, ...profile })
        .returning({ id: teachers.id });
      teacherId = created!.id;
    } else {
      teacherId = existing!.id;
      await tx.update(teachers).set(profile).where(eq(teachers.id, teacherId));
    }
    await tx
      .insert(teacherSubjects)
      .values(application.subjects.map((subjectSlug) => ({ teacherId, subjectSlug })))
      .onConflictDoNothing();
    await tx.update(users).set({ role: "teacher" }).where(eq(users.id, application.userId));
    await recordDecision(tx, applicationId, {
      status: "approved",
      reviewedBy: reviewerId,
      reviewedAt: now,
      teacherId,
    });
    await refreshTeacherSearch(tx, teacherId);
    return { applicationId, teacherId, userId: application.userId };
  });
}

/** Rejects a submitted application with a reason the applicant reads; they may apply again. */
export async function rejectApplication(
  db: Executor,
  reviewerId: string,
  applicationId: string,
  reason: string,
  now: Date = new Date(),
) {
  return db.transaction(async (tx) => {
    await lockApplication(tx, applicationId);
    await recordDecision(tx, applicationId, {
      status: "rejected",
      decisionReason: reason,
      reviewedBy: reviewerId,
      reviewedAt: now,
    });
    return { applicationId };
  });
}
