import { eq } from "drizzle-orm";
import { type Database, getDb } from "../db/client";
import { courses } from "../db/schema";
import { newId } from "../server/ids/snowflake";
import type { SlotRange } from "../server/inventory/slotRange";
import { transitionSlots } from "../server/inventory/transitionSlots";
import { placeOrder } from "../server/trade/placeOrder";
import { createTeacher, createUser } from "./fixtures";
import { markOrderPaid } from "./moneyFixtures";

export { markOrderPaid };

const HOUR_MS = 3_600_000;

/** A slot-aligned instant `hours` from now, on a :00 or :30 boundary, in the future. */
export function slotFromNow(hours: number, now = Date.now()): Date {
  const t = now + hours * HOUR_MS;
  return new Date(Math.ceil(t / 1_800_000) * 1_800_000);
}

/** Publishes consecutive half hours on a teacher's calendar. */
export async function publish(teacherId: string, range: SlotRange, db: Database = getDb()) {
  await db.transaction((tx) => transitionSlots(tx, teacherId, range, "publish"));
}

/** An approved teacher with one course (packages 1, 10, 20 h at 30.00/h) and its course id. */
export async function createSellingTeacher(options: Parameters<typeof createTeacher>[0] = {}) {
  const created = await createTeacher({
    courses: [{ title: "Conversation", pricePerHour: 3000, packageHours: [1, 10, 20] }],
    ...options,
  });
  const [course] = await getDb()
    .select({ id: courses.id })
    .from(courses)
    .where(eq(courses.teacherId, created.teacher.id))
    .limit(1);
  return { ...created, courseId: course!.id };
}

/**
 * A student with a paid package of `hours` hours from the teacher's course, no lesson booked.
 */
export async function createPaidPackage(
  teacher: { teacher: { id: string }; courseId: string },
  hours = 10,
  db: Database = getDb(),
) {
  const student = await createUser("student", "Sam Student");
  const placed = await placeOrder(db, student.id, {
    orderId: newId(),
    teacherId: teacher.teacher.id,
    courseId: teacher.courseId,
    purchase: { kind: "package", hours },
  });
  const order = await markOrderPaid(placed.order.id, db);
  return { student, order };
}
