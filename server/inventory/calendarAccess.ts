import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import type { AppSession } from "../identity/session";
import { type TeacherAccount, teacherAccountOf } from "../identity/teacherAccount";

export type CalendarOwner = TeacherAccount;

/**
 * The one place that decides whose calendar a viewer may read or change: a teacher their own
 * (naming another teacher is refused), an admin any teacher they name.
 */
export async function resolveCalendarOwner(
  db: Executor,
  session: AppSession,
  requestedTeacherId: string | undefined,
): Promise<CalendarOwner> {
  const columns = { teacherId: teachers.id, timeZone: teachers.timeZone, status: teachers.status };
  if (session.user.role === "admin") {
    if (!requestedTeacherId)
      throw new DomainError("invalid", "Name the teacher whose calendar to use", "teacherId");
    const [row] = await db
      .select(columns)
      .from(teachers)
      .where(eq(teachers.id, requestedTeacherId))
      .limit(1);
    if (!row) throw new DomainError("invalid", "Unknown teacher", "teacherId");
    return row;
  }
  if (session.user.role !== "teacher") {
    throw new DomainError("forbidden", "Only teachers manage a calendar");
  }
  const own = await teacherAccountOf(db, session.user.id);
  if (!own) throw new DomainError("forbidden", "This account has no teacher profile");
  if (requestedTeacherId && requestedTeacherId !== own.teacherId) {
    throw new DomainError("forbidden", "Teachers can only manage their own calendar");
  }
  return own;
}

/** Only approved teachers sell time; an admin acting for a teacher is held to the same rule. */
export function assertMaySell(owner: CalendarOwner) {
  if (owner.status !== "approved") {
    throw new DomainError(
      "forbidden",
      "This teacher profile is not approved, so its calendar cannot be published",
    );
  }
}
