import { and, asc, eq } from "drizzle-orm";
import { connectPostgres } from "../db/client";
import { courses, courseVersions, teachers, users } from "../db/schema";
import { composeSnowflake, SEED_WORKER, SNOWFLAKE_EPOCH_MS } from "../server/ids/snowflake";
import { SLOT_MS } from "../server/inventory/slotBitmap";
import { SlotConflict, SlotTaken } from "../server/inventory/slotConflict";
import { transitionSlots } from "../server/inventory/transitionSlots";
import { commissionSplit, lessonValue } from "../server/settlement/lessonValue";
import { commissionBpsFor } from "../server/settlement/settlementSettings";
import { placeOrder } from "../server/trade/placeOrder";
import { markOrderPaid } from "../tests/moneyFixtures";

const DAY_MS = 86_400_000;

/**
 * Test-only: gives the student named `studentName` a paid package with the demo teacher and
 * an hour-long lesson that ended at least half an hour ago, still booked (not yet marked).
 * Written through the trade services with a `now` in the past — bought and booked a day before
 * the lesson — the way the demo seed writes its history. Returns the lesson and what it will
 * earn the teacher at their current rate.
 */
export async function bookedPastLesson(studentName: string, teacherEmail: string) {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("the settlement e2e helper needs DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 1);
  const db = handle.db;
  try {
    const [student] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.name, studentName));
    const [teacher] = await db
      .select({
        id: teachers.id,
        commissionBps: teachers.commissionBps,
        courseId: courses.id,
        packages: courseVersions.packageHours,
      })
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
      .where(eq(users.email, teacherEmail))
      .orderBy(asc(courses.id))
      .limit(1);
    if (!student || !teacher) throw new Error(`no student "${studentName}" or demo teacher`);
    const hours = Math.min(...teacher.packages);

    // The latest hour that ended half an hour ago or more and is free on the teacher's calendar.
    const latest = Math.floor((Date.now() - 90 * 60_000) / SLOT_MS) * SLOT_MS;
    for (let back = 0; back < 24; back++) {
      const start = new Date(latest - back * 2 * SLOT_MS);
      const bought = new Date(start.getTime() - DAY_MS);
      try {
        await db.transaction((tx) =>
          transitionSlots(tx, teacher.id, { start, slots: 2 }, "publish"),
        );
      } catch (error) {
        if (!(error instanceof SlotConflict)) throw error; // already published: fine
      }
      // An order id "issued" when the order was placed, as the checkout page would have.
      const orderId = composeSnowflake(
        bought.getTime() - SNOWFLAKE_EPOCH_MS,
        Math.floor(Math.random() * SEED_WORKER),
        Math.floor(Math.random() * 4096),
      );
      try {
        // A package with its first lesson held, then paid: the lesson is booked.
        const placed = await placeOrder(
          db,
          student.id,
          {
            orderId,
            teacherId: teacher.id,
            courseId: teacher.courseId,
            purchase: { kind: "package", hours },
            lesson: { start, slots: 2 },
          },
          bought,
        );
        const order = await markOrderPaid(placed.order.id, db, bought);
        const gross = lessonValue(
          {
            paid: order.paidAmount ?? order.payableAmount,
            bought: order.slotsBought,
            usedBefore: 0,
          },
          2,
        );
        return {
          lessonId: placed.lesson!.id,
          startsAt: placed.lesson!.startsAt,
          currency: order.currency,
          gross,
          net: commissionSplit(gross, commissionBpsFor(teacher)).net,
        };
      } catch (error) {
        // That hour is taken (nothing was written): try an hour earlier.
        if (!(error instanceof SlotTaken || error instanceof SlotConflict)) throw error;
      }
    }
    throw new Error("no free hour for a past lesson in the last day");
  } finally {
    await handle.close();
  }
}
