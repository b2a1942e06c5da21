import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { teachers, users } from "../../db/schema";
import { DomainError } from "../domainError";
import {
  REVIEW_LIST_LIMIT,
  type StandingAction,
  standingChange,
  type TeacherStatus,
} from "./applicationRules";

/** "50%_off" → "%50\%\_off%": a literal substring for ILIKE. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Teachers for the back office, by name: status, its reason and the account's email. */
export async function listTeachersForReview(
  db: Executor,
  filter: { status?: TeacherStatus; q?: string },
) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(teachers.status, filter.status));
  if (filter.q) {
    const pattern = containing(filter.q);
    conditions.push(or(ilike(teachers.displayName, pattern), ilike(users.email, pattern))!);
  }
  return db
    .select({
      id: teachers.id,
      displayName: teachers.displayName,
      headline: teachers.headline,
      status: teachers.status,
      statusReason: teachers.statusReason,
      approvedAt: teachers.approvedAt,
      email: users.email,
    })
    .from(teachers)
    .innerJoin(users, eq(users.id, teachers.userId))
    .where(and(...conditions))
    .orderBy(asc(teachers.displayName), asc(teachers.id))
    .limit(REVIEW_LIST_LIMIT);
}

/**
 * Suspends an approved teacher (with a reason they see on their dashboard) or reinstates a
 * suspended one, under the teacher's row lock. Listing, the studio, booking, publishing and
 * selling all check the status live, so nothing else changes here; the search document holds
 * no status. The caller invalidates the cached reads after the commit (markTeacherChanged).
 */
export async function changeTeacherStanding(
  db: Executor,
  teacherId: string,
  action: StandingAction,
  reason: string | null,
  now: Date = new Date(),
) {
  if (action === "suspend" && !reason) {
    throw new DomainError("invalid", "Say why the teacher is suspended", "reason");
  }
  return db.transaction(async (tx) => {
    const [teacher] = await tx
      .select({ status: teachers.status })
      .from(teachers)
      .where(eq(teachers.id, teacherId))
      .for("update");
    if (!teacher) throw new DomainError("not_found", "No such teacher", "teacherId");
    const change = standingChange(teacher.status, action);
    if ("refusal" in change) throw new DomainError("conflict", change.refusal, "teacherId");
    const [updated] = await tx
      .update(teachers)
      .set({
        status: change.next,
        statusReason: change.next === "suspended" ? reason : null,
        updatedAt: now,
      })
      .where(eq(teachers.id, teacherId))
      .returning({ id: teachers.id, status: teachers.status, statusReason: teachers.statusReason });
    return updated!;
  });
}
