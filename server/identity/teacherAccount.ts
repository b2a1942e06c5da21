import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { teachers } from "../../db/schema";

export interface TeacherAccount {
  teacherId: string;
  timeZone: string;
  status: "applied" | "approved" | "rejected" | "suspended";
}

/**
 * The teacher profile behind a user account, or null: the one lookup every "my profile,
 * my calendar, my orders" check starts from.
 */
export async function teacherAccountOf(
  db: Executor,
  userId: string,
): Promise<TeacherAccount | null> {
  const [row] = await db
    .select({ teacherId: teachers.id, timeZone: teachers.timeZone, status: teachers.status })
    .from(teachers)
    .where(eq(teachers.userId, userId))
    .limit(1);
  return row ?? null;
}
