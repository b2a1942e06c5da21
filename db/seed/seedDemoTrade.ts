import { and, asc, eq } from "drizzle-orm";
import { composeSnowflake, SEED_WORKER, SNOWFLAKE_EPOCH_MS } from "../../server/ids/snowflake";
import { listFreeSlots } from "../../server/inventory/freeSlots";
import { SLOT_MS } from "../../server/inventory/slotBitmap";
import { transitionSlots } from "../../server/inventory/transitionSlots";
import { fundWalletThroughSandbox } from "../../server/payment/sandboxFunding";
import { startPayment } from "../../server/payment/startPayment";
import { bookLesson } from "../../server/trade/lessonBooking";
import { closeLesson } from "../../server/trade/lessonClosing";
import { placeOrder } from "../../server/trade/placeOrder";
import type { Database } from "../client";
import { courses, courseVersions, teachers, users } from "../schema";
import { DEMO_ACCOUNTS } from "./demoData";

const DAY_MS = 86_400_000;

/**
 * The demo student's history with the demo teacher, written through the trade services (so
 * it obeys every rule a real one does): a package of hours bought a week ago, one lesson taken
 * three days ago and not yet reviewed, and the next two hour-long openings booked. It was paid
 * the way a student pays: a wallet top-up through the sandbox gateway (payment and signed
 * callback through the webhook's entry point), then the order from the wallet.
 */
export async function seedDemoTrade(db: Database, now: Date) {
  const [student] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_ACCOUNTS.student));
  const [teacher] = await db
    .select({ id: teachers.id, courseId: courses.id, packages: courseVersions.packageHours })
    .from(teachers)
    .innerJoin(users, eq(users.id, teachers.userId))
    .innerJoin(courses, and(eq(courses.teacherId, teachers.id), eq(courses.status, "active")))
    .innerJoin(
      courseVersions,
      and(
        eq(courseVersions.courseId, courses.id),
        eq(courseVersions.version, courses.currentVersion),
      ),
    )
    .where(eq(users.email, DEMO_ACCOUNTS.teacher))
    .orderBy(asc(courses.id))
    .limit(1);
  if (!student || !teacher) throw new Error("seed: demo student or teacher missing");
  // The smallest package of several hours the course sells.
  const hours = Math.min(...teacher.packages.filter((h) => h >= 10));

  // A week ago: the order (its id is "issued" then, as the checkout page would have).
  const bought = new Date(Math.floor((now.getTime() - 7 * DAY_MS) / SLOT_MS) * SLOT_MS);
  const orderId = composeSnowflake(bought.getTime() - SNOWFLAKE_EPOCH_MS, SEED_WORKER, 0);
  const placed = await placeOrder(
    db,
    student.id,
    {
      orderId,
      teacherId: teacher.id,
      courseId: teacher.courseId,
      purchase: { kind: "package", hours },
    },
    bought,
  );
  const { payableAmount, currency } = placed.order;
  const topUpId = composeSnowflake(bought.getTime() - SNOWFLAKE_EPOCH_MS, SEED_WORKER, 1);
  await fundWalletThroughSandbox(db, student.id, payableAmount, currency, bought, topUpId);
  await startPayment(
    db,
    student.id,
    { idempotencyKey: `seed-${orderId}`, orderIds: [orderId], method: "wallet", appUrl: "" },
    bought,
  );

  // Three days ago: a lesson the teacher had published, taken and marked completed.
  const past = new Date(
    Math.floor((now.getTime() - 3 * DAY_MS) / DAY_MS) * DAY_MS + 10 * 3_600_000,
  );
  await db.transaction((tx) =>
    transitionSlots(tx, teacher.id, { start: past, slots: 2 }, "publish"),
  );
  const taken = await bookLesson(db, student.id, { orderId, start: past, slots: 2 }, bought);
  await closeLesson(
    db,
    { role: "teacher", teacherId: teacher.id },
    { lessonId: taken.id, outcome: "completed" },
    new Date(past.getTime() + 2 * 3_600_000),
  );

  // Upcoming: the first two hour-long openings at least two days out, on different days.
  const free = await listFreeSlots(db, teacher.id, {
    now,
    from: new Date(now.getTime() + 2 * DAY_MS),
    days: 14,
  });
  const freeAt = new Set(free.map((t) => t.getTime()));
  const booked: Date[] = [];
  for (const start of free) {
    if (booked.length === 2) break;
    const sameDay = booked.some(
      (b) => b.toISOString().slice(0, 10) === start.toISOString().slice(0, 10),
    );
    if (!sameDay && freeAt.has(start.getTime() + SLOT_MS)) booked.push(start);
  }
  for (const start of booked) {
    await bookLesson(db, student.id, { orderId, start, slots: 2 }, bought);
  }
  return { orders: 1, lessons: 1 + booked.length };
}
