import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import {
  couponBatches,
  couponDailyUses,
  coupons,
  orderDiscounts,
  promotions,
  promotionUses,
} from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { utcDay } from "../../server/marketing/checkoutQuote";
import { redeemOrderOffers } from "../../server/marketing/orderOfferLifecycle";
import { approveRefund } from "../../server/payment/decideRefund";
import { requestRefund } from "../../server/payment/requestRefund";
import { startPayment } from "../../server/payment/startPayment";
import { bookLesson } from "../../server/trade/lessonBooking";
import { closeLesson } from "../../server/trade/lessonClosing";
import type { Purchase } from "../../server/trade/orderPricing";
import { getOrderDetail } from "../../server/trade/orderViews";
import { newOrderId, placeOrder } from "../../server/trade/placeOrder";
import { quoteOrder } from "../../server/trade/quoteOrder";
import { cancelUnpaidOrder, closeUnpaidOrder } from "../../server/trade/unpaidOrders";
import { createUser } from "../fixtures";
import { insertCoupon, insertCouponBatch, insertPromotion } from "../marketingFixtures";
import { fundWallet, orderRow, walletBalance } from "../paymentFixtures";
import { createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

const db = getDb();
const DAY = 86_400_000;
const MIN = 60_000;
/** 10 hours at 30.00/h. */
const TEN_HOURS: Purchase = { kind: "package", hours: 10 };

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

/** A batch whose counters allow redemptions (the fixture writes coupons straight in). */
const batch = (values: Parameters<typeof insertCouponBatch>[0] = {}) =>
  insertCouponBatch({ issuedCount: 100, ...values });

async function setup() {
  const seller = await createSellingTeacher();
  const student = await createUser("student", "Cora Coupon");
  return { seller, student };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** A promotion on this test's teacher only (the file's tests share one database). */
const promo = (s: Setup, values: Parameters<typeof insertPromotion>[0] = {}) =>
  insertPromotion({ scopeKind: "teachers", scopeIds: [s.seller.teacher.id], ...values });

function place(
  { seller, student }: Setup,
  coupon?: string,
  purchase: Purchase = TEN_HOURS,
  now = new Date(),
) {
  return placeOrder(
    db,
    student.id,
    {
      orderId: newOrderId(),
      teacherId: seller.teacher.id,
      courseId: seller.courseId,
      purchase,
      coupon,
    },
    now,
  );
}

async function couponRow(id: string) {
  const [row] = await db.select().from(coupons).where(eq(coupons.id, id));
  return row!;
}
async function batchRow(id: string) {
  const [row] = await db.select().from(couponBatches).where(eq(couponBatches.id, id));
  return row!;
}
async function promotionRow(id: string) {
  const [row] = await db.select().from(promotions).where(eq(promotions.id, id));
  return row!;
}
async function usesOf(orderId: string) {
  return db.select().from(promotionUses).where(eq(promotionUses.orderId, orderId));
}
async function linesOf(orderId: string) {
  return db
    .select({
      source: orderDiscounts.source,
      offerId: orderDiscounts.offerId,
      amount: orderDiscounts.amount,
    })
    .from(orderDiscounts)
    .where(eq(orderDiscounts.orderId, orderId))
    .orderBy(orderDiscounts.source);
}
async function usedToday(studentId: string, now = new Date()) {
  const [row] = await db
    .select({ used: couponDailyUses.used })
    .from(couponDailyUses)
    .where(and(eq(couponDailyUses.studentId, studentId), eq(couponDailyUses.day, utcDay(now))));
  return row?.used ?? 0;
}

/** Pays an order from the wallet after a top-up of its payable amount (the real path). */
async function payFromWallet(studentId: string, orderId: string, now = new Date()) {
  const order = await orderRow(orderId);
  await fundWallet(studentId, order.payableAmount, "USD", db, now);
  return startPayment(
    db,
    studentId,
    { idempotencyKey: randomUUID(), orderIds: [orderId], method: "wallet", appUrl: "" },
    now,
  );
}

describe("offers at checkout: pricing and reservation", () => {
  it("the best coupon is applied and locked to the order; the others stay available", async () => {
    const s = await setup();
    const fiveOff = await batch();
    const tenPercent = await batch({
      title: "Ten percent, up to 20.00",
      kind: "percent_off",
      amountOff: null,
      percentBps: 1000,
      cap: 2000,
    });
    const small = await insertCoupon(fiveOff, s.student.id);
    const big = await insertCoupon(tenPercent, s.student.id);

    const quote = await quoteOrder(db, s.student.id, {
      teacherId: s.seller.teacher.id,
      courseId: s.seller.courseId,
      purchase: TEN_HOURS,
    });
    expect(quote.best).toMatchObject({ listAmount: 30_000, payable: 28_000, couponId: big.id });
    expect(quote.withoutCoupon.payable).toBe(30_000);
    expect(quote.coupons.map((c) => [c.couponId, c.quote?.payable])).toEqual([
      [small.id, 29_500],
      [big.id, 28_000],
    ]);

    const placed = await place(s);
    expect(placed.order).toMatchObject({
      listAmount: 30_000,
      discountAmount: 2_000,
      payableAmount: 28_000,
    });
    expect(await couponRow(big.id)).toMatchObject({
      status: "locked",
      orderId: placed.order.id,
      discountAmount: 2_000,
    });
    expect(await couponRow(small.id)).toMatchObject({ status: "available", orderId: null });
    expect(await linesOf(placed.order.id)).toEqual([
      { source: "coupon", offerId: big.id, amount: 2_000 },
    ]);
    expect(await usedToday(s.student.id)).toBe(1);
    const detail = await getOrderDetail(
      db,
      { studentId: s.student.id },
      placed.order.id,
      new Date(),
    );
    expect(detail.discounts).toEqual([
      { source: "coupon", title: "Ten percent, up to 20.00", amount: 2_000 },
    ]);
  });

  it("an explicit coupon is used even when another is better; 'none' uses none; a foreign coupon is refused", async () => {
    const s = await setup();
    const fiveOff = await batch();
    const twentyOff = await batch({ title: "Twenty off", amountOff: 2_000 });
    const small = await insertCoupon(fiveOff, s.student.id);
    await insertCoupon(twentyOff, s.student.id);

    const explicit = await place(s, small.id);
    expect(explicit.order).toMatchObject({ discountAmount: 500, payableAmount: 29_500 });
    expect(await couponRow(small.id)).toMatchObject({
      status: "locked",
      orderId: explicit.order.id,
    });

    const none = await place(s, "none");
    expect(none.order).toMatchObject({ discountAmount: 0, payableAmount: 30_000 });
    expect(await linesOf(none.order.id)).toEqual([]);
    expect(await usedToday(s.student.id)).toBe(1);

    const other = await createUser("student", "Otto Other");
    const theirs = await insertCoupon(fiveOff, other.id);
    const refused = await rejection(place(s, theirs.id));
    expect(refused).toMatchObject({ kind: "invalid", field: "coupon" });
    // A coupon already locked to an order cannot be picked again.
    const again = await rejection(place(s, small.id));
    expect(again).toMatchObject({ kind: "invalid", field: "coupon" });
  });

  it("a promotion and a stackable coupon: the coupon applies after the promotion; stock is reserved", async () => {
    const s = await setup();
    const promotion = await promo(s, {
      title: "Ten hours, ten percent",
      kind: "package_discount",
      minHours: 10,
      percentBps: 1000,
      stockTotal: 5,
    });
    const coupon = await insertCoupon(await batch(), s.student.id);

    const placed = await place(s);
    expect(placed.order).toMatchObject({ discountAmount: 3_500, payableAmount: 26_500 });
    expect(await linesOf(placed.order.id)).toEqual([
      { source: "coupon", offerId: coupon.id, amount: 500 },
      { source: "promotion", offerId: promotion.id, amount: 3_000 },
    ]);
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 1 });
    expect(await usesOf(placed.order.id)).toMatchObject([
      { promotionId: promotion.id, status: "reserved", discountAmount: 3_000 },
    ]);
    // A single lesson is not a 10-hour package: no promotion, only the coupon.
    const start = slotFromNow(48);
    await publish(s.seller.teacher.id, { start, slots: 2 });
    const other = await createUser("student", "Les Lesson");
    await insertCoupon(await batch(), other.id);
    const lesson = await placeOrder(db, other.id, {
      orderId: newOrderId(),
      teacherId: s.seller.teacher.id,
      courseId: s.seller.courseId,
      purchase: { kind: "lesson", slots: 2 },
      lesson: { start, slots: 2 },
    });
    expect(lesson.order).toMatchObject({ listAmount: 3_000, discountAmount: 500 });
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 1 });
  });

  it("an exclusive coupon is used alone; the per-user limit of a promotion holds", async () => {
    const s = await setup();
    const promotion = await promo(s, { perUserLimit: 1 });
    const exclusive = await insertCoupon(
      await batch({
        title: "Twenty percent, alone",
        kind: "percent_off",
        amountOff: null,
        percentBps: 2000,
        exclusive: true,
      }),
      s.student.id,
    );
    const placed = await place(s);
    expect(placed.order).toMatchObject({ discountAmount: 6_000, payableAmount: 24_000 });
    expect(await linesOf(placed.order.id)).toEqual([
      { source: "coupon", offerId: exclusive.id, amount: 6_000 },
    ]);
    expect(await usesOf(placed.order.id)).toEqual([]);
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 0 });

    const first = await place(s);
    expect(first.order.discountAmount).toBe(3_000);
    const second = await place(s);
    expect(second.order.discountAmount).toBe(0);
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 1 });
  });

  it("a resubmitted order id returns the order without applying offers again", async () => {
    const s = await setup();
    await insertCoupon(await batch(), s.student.id);
    await insertCoupon(await batch(), s.student.id);
    const input = {
      orderId: newOrderId(),
      teacherId: s.seller.teacher.id,
      courseId: s.seller.courseId,
      purchase: TEN_HOURS,
    };
    const first = await placeOrder(db, s.student.id, input);
    const again = await placeOrder(db, s.student.id, input);
    expect(again).toMatchObject({ created: false, order: { discountAmount: 500 } });
    expect(first.order.payableAmount).toBe(again.order.payableAmount);
    expect(await usedToday(s.student.id)).toBe(1);
  });

  it("the daily risk rule: a 4th coupon in a UTC day is refused, naming coupon", async () => {
    const s = await setup();
    const fiveOff = await batch({ perUserLimit: 10 });
    for (let i = 0; i < 4; i++) await insertCoupon(fiveOff, s.student.id);
    for (let i = 0; i < 3; i++) expect((await place(s)).order.discountAmount).toBe(500);
    expect(await usedToday(s.student.id)).toBe(3);

    const quote = await quoteOrder(db, s.student.id, {
      teacherId: s.seller.teacher.id,
      courseId: s.seller.courseId,
      purchase: TEN_HOURS,
    });
    expect(quote).toMatchObject({ couponUsesLeftToday: 0, best: { couponId: null } });
    const refused = await rejection(place(s));
    expect(refused).toMatchObject({ kind: "conflict", field: "coupon" });
    expect(refused.message).toMatch(/3 coupons today/);
    // Without a coupon the order goes through.
    expect((await place(s, "none")).order.discountAmount).toBe(0);
    expect(await usedToday(s.student.id)).toBe(3);
  });
});

describe("offers after checkout: release, redemption, the check at payment", () => {
  it("cancel and expiry give the coupon, the stock and the day's use back", async () => {
    const s = await setup();
    const promotion = await promo(s, { stockTotal: 3 });
    const coupon = await insertCoupon(await batch(), s.student.id);

    const cancelled = await place(s);
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 1 });
    await cancelUnpaidOrder(db, s.student.id, cancelled.order.id);
    expect(await couponRow(coupon.id)).toMatchObject({
      status: "available",
      orderId: null,
      lockedAt: null,
      discountAmount: null,
    });
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 0 });
    expect(await usesOf(cancelled.order.id)).toMatchObject([{ status: "released" }]);
    expect(await usedToday(s.student.id)).toBe(0);
    // The discount lines stay: how the order was priced.
    expect(await linesOf(cancelled.order.id)).toHaveLength(2);

    const expiring = await place(s);
    expect(await couponRow(coupon.id)).toMatchObject({ status: "locked" });
    const later = new Date(Date.now() + 60 * MIN);
    expect(
      await db.transaction((tx) => closeUnpaidOrder(tx, expiring.order.id, "expire", later)),
    ).toBe(true);
    expect(await couponRow(coupon.id)).toMatchObject({ status: "available", orderId: null });
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 0 });
    expect(await usedToday(s.student.id)).toBe(0);
  });

  it("a coupon whose validity ended while locked expires when its order is released", async () => {
    const s = await setup();
    const coupon = await insertCoupon(await batch(), s.student.id, {
      validUntil: new Date(Date.now() + 10 * MIN),
    });
    const placed = await place(s);
    const after = new Date(Date.now() + 20 * MIN);
    await db.transaction((tx) => closeUnpaidOrder(tx, placed.order.id, "expire", after));
    expect(await couponRow(coupon.id)).toMatchObject({ status: "expired", orderId: null });
  });

  it("payment redeems the offers exactly once", async () => {
    const s = await setup();
    const promotion = await promo(s, { stockTotal: 3 });
    const theBatch = await batch();
    const coupon = await insertCoupon(theBatch, s.student.id);
    const placed = await place(s);
    expect(placed.order.payableAmount).toBe(26_500);

    const paid = await payFromWallet(s.student.id, placed.order.id);
    expect(paid.status).toBe("succeeded");
    expect(paid.amount).toBe(26_500);
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "paid", paidAmount: 26_500 });
    const used = await couponRow(coupon.id);
    expect(used).toMatchObject({ status: "used", orderId: placed.order.id, discountAmount: 500 });
    expect(used.usedAt).not.toBeNull();
    expect(await batchRow(theBatch.id)).toMatchObject({ usedCount: 1, discountGiven: 500 });
    expect(await usesOf(placed.order.id)).toMatchObject([{ status: "consumed" }]);
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 1 });

    // Redeeming again changes nothing.
    await db.transaction((tx) => redeemOrderOffers(tx, placed.order.id, new Date()));
    expect(await batchRow(theBatch.id)).toMatchObject({ usedCount: 1, discountGiven: 500 });
    expect(await walletBalance(s.student.id)).toBe(0);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("payment is refused when the coupon's batch was retired or paused meanwhile, or the coupon lapsed", async () => {
    const s = await setup();
    const theBatch = await batch();
    const coupon = await insertCoupon(theBatch, s.student.id, {
      validUntil: new Date(Date.now() + 5 * MIN),
    });
    const placed = await place(s);
    await db
      .update(couponBatches)
      .set({ status: "retired" })
      .where(eq(couponBatches.id, theBatch.id));
    const refused = await rejection(payFromWallet(s.student.id, placed.order.id));
    expect(refused).toMatchObject({ kind: "conflict", field: "orderIds" });
    expect(refused.message).toBe(
      "The coupon on this order is no longer valid. Cancel the order and check out again.",
    );
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "pending_payment" });
    expect(await couponRow(coupon.id)).toMatchObject({ status: "locked" });

    await db
      .update(couponBatches)
      .set({ status: "paused" })
      .where(eq(couponBatches.id, theBatch.id));
    expect(await rejection(payFromWallet(s.student.id, placed.order.id))).toMatchObject({
      field: "orderIds",
    });
    await db
      .update(couponBatches)
      .set({ status: "active" })
      .where(eq(couponBatches.id, theBatch.id));
    const lapsed = new Date(Date.now() + 6 * MIN);
    expect(await rejection(payFromWallet(s.student.id, placed.order.id, lapsed))).toMatchObject({
      field: "orderIds",
    });
    // Still valid now: the payment goes through.
    expect((await payFromWallet(s.student.id, placed.order.id)).status).toBe("succeeded");
  });

  it("payment is refused when the order's promotion was retired meanwhile", async () => {
    const s = await setup();
    const promotion = await promo(s);
    const placed = await place(s);
    expect(placed.order.discountAmount).toBe(3_000);
    await db.update(promotions).set({ status: "retired" }).where(eq(promotions.id, promotion.id));
    const refused = await rejection(payFromWallet(s.student.id, placed.order.id));
    expect(refused).toMatchObject({ kind: "conflict", field: "orderIds" });
  });

  it("a full refund before any hour was used returns the coupon; a partial refund keeps it used", async () => {
    const s = await setup();
    const promotion = await promo(s, { stockTotal: 3 });
    const theBatch = await batch({ perUserLimit: 2 });
    const coupon = await insertCoupon(theBatch, s.student.id);
    const placed = await place(s);
    await payFromWallet(s.student.id, placed.order.id);

    const refund = await requestRefund(
      db,
      { role: "student", userId: s.student.id },
      { orderId: placed.order.id },
    );
    expect(refund).toMatchObject({ status: "succeeded", amount: 26_500 });
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "refunded" });
    expect(await couponRow(coupon.id)).toMatchObject({
      status: "available",
      orderId: null,
      usedAt: null,
    });
    expect(await batchRow(theBatch.id)).toMatchObject({ usedCount: 0, discountGiven: 0 });
    expect(await usesOf(placed.order.id)).toMatchObject([{ status: "released" }]);
    expect(await promotionRow(promotion.id)).toMatchObject({ stockUsed: 0 });

    // The same coupon on a new order, with a lesson taken before the refund: partial.
    const start = slotFromNow(48);
    await publish(s.seller.teacher.id, { start, slots: 4 });
    const second = await place(s, coupon.id);
    await payFromWallet(s.student.id, second.order.id);
    const lesson = await bookLesson(db, s.student.id, {
      orderId: second.order.id,
      start,
      slots: 2,
    });
    const afterLesson = new Date(lesson.endsAt.getTime() + MIN);
    await closeLesson(
      db,
      { role: "teacher", teacherId: s.seller.teacher.id },
      { lessonId: lesson.id, outcome: "completed" },
      afterLesson,
    );
    const requested = await requestRefund(
      db,
      { role: "student", userId: s.student.id },
      { orderId: second.order.id },
      new Date(afterLesson.getTime() + MIN),
    );
    const admin = await createUser("admin", "Ada Admin");
    await approveRefund(
      db,
      { userId: admin.id },
      requested.id,
      new Date(afterLesson.getTime() + 2 * MIN),
    );
    expect(await orderRow(second.order.id)).toMatchObject({ status: "partially_refunded" });
    expect(await couponRow(coupon.id)).toMatchObject({ status: "used", orderId: second.order.id });
    expect(await batchRow(theBatch.id)).toMatchObject({ usedCount: 1, discountGiven: 500 });
    expect(await usesOf(second.order.id)).toMatchObject([{ status: "consumed" }]);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("an expired coupon is not offered; a first-lesson price goes to students new to the teacher", async () => {
    const s = await setup();
    await insertCoupon(await batch(), s.student.id, {
      validFrom: new Date(Date.now() - 2 * DAY),
      validUntil: new Date(Date.now() - DAY),
    });
    await promo(s, {
      title: "First lesson 5.00",
      kind: "first_lesson_price",
      percentBps: null,
      price: 500,
    });
    const start = slotFromNow(48);
    await publish(s.seller.teacher.id, { start, slots: 4 });
    const first = await placeOrder(db, s.student.id, {
      orderId: newOrderId(),
      teacherId: s.seller.teacher.id,
      courseId: s.seller.courseId,
      purchase: { kind: "lesson", slots: 2 },
      lesson: { start, slots: 2 },
    });
    expect(first.order).toMatchObject({ listAmount: 3_000, payableAmount: 500 });
    await payFromWallet(s.student.id, first.order.id);
    const next = new Date(start.getTime() + 60 * MIN);
    const second = await placeOrder(db, s.student.id, {
      orderId: newOrderId(),
      teacherId: s.seller.teacher.id,
      courseId: s.seller.courseId,
      purchase: { kind: "lesson", slots: 2 },
      lesson: { start: next, slots: 2 },
    });
    expect(second.order).toMatchObject({ listAmount: 3_000, payableAmount: 3_000 });
  });
});
