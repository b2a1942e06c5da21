import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type DatabaseHandle } from "../../db/client";
import {
  couponDailyUses,
  coupons,
  orderDiscounts,
  promotions,
  promotionUses,
} from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { utcDay } from "../../server/marketing/checkoutQuote";
import { newOrderId, placeOrder } from "../../server/trade/placeOrder";
import { createUser } from "../fixtures";
import { insertCoupon, insertCouponBatch, insertPromotion } from "../marketingFixtures";
import { createSellingTeacher } from "../tradeFixtures";

/**
 * Races at checkout, each racer on its own connection of a 40-connection pool, so they hold
 * their transactions at once and meet at the rows that decide: the student's daily coupon
 * counter, and the promotion's stock.
 */
const POOL = 40;
let handle: DatabaseHandle;

beforeAll(() => {
  handle = connectPostgres(process.env.DATABASE_URL!, POOL);
});
afterAll(async () => {
  await handle.close();
});

type Seller = Awaited<ReturnType<typeof createSellingTeacher>>;

const place = (seller: Seller, studentId: string, coupon?: string) =>
  placeOrder(handle.db, studentId, {
    orderId: newOrderId(),
    teacherId: seller.teacher.id,
    courseId: seller.courseId,
    purchase: { kind: "package", hours: 10 },
    coupon,
  });

async function settle<T>(runs: Promise<T>[]) {
  const results = await Promise.allSettled(runs);
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  for (const failure of failures) {
    // A loser is told why, naming the coupon; nothing else may go wrong.
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ kind: "conflict", field: "coupon" });
  }
  const placed = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  return { placed, failures };
}

async function usedToday(studentId: string) {
  const [row] = await handle.db
    .select({ used: couponDailyUses.used })
    .from(couponDailyUses)
    .where(
      and(eq(couponDailyUses.studentId, studentId), eq(couponDailyUses.day, utcDay(new Date()))),
    );
  return row?.used ?? 0;
}

async function lockedCoupons(studentId: string) {
  const [row] = await handle.db
    .select({ n: count() })
    .from(coupons)
    .where(and(eq(coupons.ownerUserId, studentId), eq(coupons.status, "locked")));
  return row?.n ?? 0;
}

describe("the daily coupon limit under concurrency", () => {
  it("10 students each racing two orders with their 3rd and 4th coupon of the day: only 3 used each", async () => {
    const seller = await createSellingTeacher();
    const batch = await insertCouponBatch({ issuedCount: 1_000, perUserLimit: 10 });
    const students = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const student = await createUser("student", `Rita Racer ${i}`);
        const owned = [];
        for (let c = 0; c < 4; c++) owned.push(await insertCoupon(batch, student.id));
        // The 1st and 2nd coupons of the day, one after the other.
        await place(seller, student.id, owned[0]!.id);
        await place(seller, student.id, owned[1]!.id);
        return { student, third: owned[2]!, fourth: owned[3]! };
      }),
    );

    const { placed, failures } = await settle(
      students.flatMap((s) => [
        place(seller, s.student.id, s.third.id),
        place(seller, s.student.id, s.fourth.id),
      ]),
    );
    expect(placed).toHaveLength(10);
    expect(failures).toHaveLength(10);
    for (const s of students) {
      expect(await usedToday(s.student.id)).toBe(3);
      expect(await lockedCoupons(s.student.id)).toBe(3);
    }
  });

  it("5 concurrent orders taking the best coupon of 5: 3 get one, 2 are refused, no coupon twice", async () => {
    const seller = await createSellingTeacher();
    const batch = await insertCouponBatch({ issuedCount: 1_000, perUserLimit: 10 });
    const student = await createUser("student", "Bea Best");
    for (let c = 0; c < 5; c++) await insertCoupon(batch, student.id);
    const { placed, failures } = await settle(
      Array.from({ length: 5 }, () => place(seller, student.id)),
    );
    expect(placed).toHaveLength(3);
    expect(failures).toHaveLength(2);
    for (const p of placed) expect(p.order.discountAmount).toBe(500);
    expect(await usedToday(student.id)).toBe(3);
    expect(await lockedCoupons(student.id)).toBe(3);
    const lines = await handle.db
      .select({ offerId: orderDiscounts.offerId })
      .from(orderDiscounts)
      .where(
        inArray(
          orderDiscounts.orderId,
          placed.map((p) => p.order.id),
        ),
      );
    expect(new Set(lines.map((l) => l.offerId)).size).toBe(3);
  });
});

describe("promotion stock under concurrency", () => {
  it("a stock of 10 with 50 concurrent orders by different students: exactly 10 get it, the rest are placed at list price", async () => {
    const seller = await createSellingTeacher();
    const promotion = await insertPromotion(
      { scopeKind: "teachers", scopeIds: [seller.teacher.id], stockTotal: 10 },
      handle.db,
    );
    const students = await Promise.all(
      Array.from({ length: 50 }, (_, i) => createUser("student", `Sol Stock ${i}`)),
    );
    const { placed, failures } = await settle(students.map((s) => place(seller, s.id, "none")));
    expect(failures).toEqual([]);
    expect(placed).toHaveLength(50);
    const discounted = placed.filter((p) => p.order.discountAmount > 0);
    expect(discounted).toHaveLength(10);
    for (const p of discounted) expect(p.order.payableAmount).toBe(27_000);
    for (const p of placed.filter((p) => p.order.discountAmount === 0)) {
      expect(p.order.payableAmount).toBe(30_000);
    }
    const [row] = await handle.db.select().from(promotions).where(eq(promotions.id, promotion.id));
    expect(row!.stockUsed).toBe(10);
    const [uses] = await handle.db
      .select({ n: count() })
      .from(promotionUses)
      .where(
        and(eq(promotionUses.promotionId, promotion.id), eq(promotionUses.status, "reserved")),
      );
    expect(uses!.n).toBe(10);
  });
});
