import { randomUUID } from "node:crypto";
import type { Database } from "../../db/client";
import { teachers, users } from "../../db/schema";
import type { CalendarOwner } from "../../server/inventory/calendarAccess";

/** Approved teachers (with their user rows) in one zone, inserted in two statements. */
export async function createTeachers(
  db: Database,
  count: number,
  timeZone: string,
): Promise<CalendarOwner[]> {
  const created = await db
    .insert(users)
    .values(
      Array.from({ length: count }, (_, i) => ({
        name: `Bench Teacher ${i}`,
        email: `bench-${randomUUID()}@bench.halfhour.dev`,
        role: "teacher" as const,
      })),
    )
    .returning({ id: users.id });
  const rows = await db
    .insert(teachers)
    .values(
      created.map((u, i) => ({
        userId: u.id,
        displayName: `Bench Teacher ${i}`,
        timeZone,
        status: "approved" as const,
      })),
    )
    .returning({ id: teachers.id });
  return rows.map((r) => ({ teacherId: r.id, timeZone, status: "approved" }));
}
