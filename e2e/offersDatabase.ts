import { and, arrayContains, desc, eq, ne } from "drizzle-orm";
import { connectPostgres, type Database } from "../db/client";
import { coupons, courses, courseVersions, teachers, users } from "../db/schema";
import { insertCoupon, insertCouponBatch, insertPromotion } from "../tests/marketingFixtures";
import { fundWallet } from "../tests/moneyFixtures";
import { DEMO_TEACHER_ID } from "./support";

/**
 * Test-only database steps for the offers e2e spec, on the e2e database (scripts/e2e.sh
 * exports DATABASE_URL and AUTH_SECRET, which keys coupon codes and signs sandbox callbacks).
 * Offers are set up with the marketing fixtures' inserts; the code under test is the app.
 */
async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("the offers e2e helpers need DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 1);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

export interface OfferSetup {
  teacherId: string;
  courseId: string;
  hours: number;
  currency: string;
  listAmount: number;
  couponId: string;
  couponCode: string;
}

export interface PackagePromotion {
  teacherId: string;
  courseId: string;
  hours: number;
  currency: string;
  listAmount: number;
}

/**
 * A 10-hour package of a seeded course (not the demo teacher's, whose prices other specs
 * read) with a 10% package promotion on that course only; the wallet of the student named
 * `studentName` is topped up with the list price through the sandbox.
 */
export function setUpPackagePromotion(studentName: string): Promise<PackagePromotion> {
  return withDatabase(async (db) => {
    const found = await studentAndCourse(db, studentName);
    await insertPromotion(
      {
        createdBy: found.adminId,
        title: "Ten hours, ten percent off",
        kind: "package_discount",
        minHours: 10,
        percentBps: 1000,
        currency: found.course.currency,
        scopeKind: "courses",
        scopeIds: [found.course.courseId],
        stockTotal: 100,
      },
      db,
    );
    const listAmount = found.course.pricePerHour * 10;
    await fundWallet(found.studentId, listAmount, found.course.currency, db);
    return {
      teacherId: found.course.teacherId,
      courseId: found.course.courseId,
      hours: 10,
      currency: found.course.currency,
      listAmount,
    };
  });
}

/** setUpPackagePromotion, plus a 5.00-off coupon owned by the student. */
export async function setUpOffers(studentName: string): Promise<OfferSetup> {
  const promotion = await setUpPackagePromotion(studentName);
  return withDatabase(async (db) => {
    const found = await studentAndCourse(db, studentName);
    const batch = await insertCouponBatch(
      {
        createdBy: found.adminId,
        title: "Welcome five off",
        amountOff: 500,
        currency: promotion.currency,
        issuedCount: 1,
        issuedAmount: 500,
      },
      db,
    );
    const coupon = await insertCoupon(batch, found.studentId, {}, db);
    return { ...promotion, couponId: coupon.id, couponCode: coupon.code };
  });
}

async function studentAndCourse(db: Database, studentName: string) {
  const [student] = await db.select().from(users).where(eq(users.name, studentName)).limit(1);
  if (!student) throw new Error(`no user named ${studentName}`);
  const [admin] = await db
    .select()
    .from(users)
    .where(eq(users.email, "admin@halfhour.dev"))
    .limit(1);
  const [course] = await db
    .select({
      teacherId: courses.teacherId,
      courseId: courses.id,
      currency: courseVersions.currency,
      pricePerHour: courseVersions.pricePerHour,
    })
    .from(courses)
    .innerJoin(
      courseVersions,
      and(
        eq(courseVersions.courseId, courses.id),
        eq(courseVersions.version, courses.currentVersion),
      ),
    )
    .innerJoin(teachers, eq(teachers.id, courses.teacherId))
    .where(
      and(
        eq(courses.status, "active"),
        eq(teachers.status, "approved"),
        ne(courses.teacherId, DEMO_TEACHER_ID),
        arrayContains(courseVersions.packageHours, [10]),
      ),
    )
    .orderBy(desc(courses.id))
    .limit(1);
  if (!admin || !course) throw new Error("the seed has no admin or no 10-hour course");
  return { studentId: student.id, adminId: admin.id, course };
}

/** A coupon's status and the order it is locked to or was used by. */
export function couponState(couponId: string) {
  return withDatabase(async (db) => {
    const [row] = await db
      .select({ status: coupons.status, orderId: coupons.orderId })
      .from(coupons)
      .where(eq(coupons.id, couponId));
    return row ?? null;
  });
}
