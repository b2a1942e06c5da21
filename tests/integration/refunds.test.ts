import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { ledgerEntries, ledgerTransactions } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { applyGatewayEvent } from "../../server/payment/applyGatewayEvent";
import { approveRefund, declineRefund } from "../../server/payment/decideRefund";
import type { GatewayProvider } from "../../server/payment/gateway";
import { orderRefunds } from "../../server/payment/refundViews";
import { requestRefund } from "../../server/payment/requestRefund";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { sandboxGateway } from "../../server/payment/sandboxGateway";
import { retryGatewayRefunds } from "../../server/payment/sendGatewayRefund";
import { startPayment } from "../../server/payment/startPayment";
import { bookLesson } from "../../server/trade/lessonBooking";
import { closeLesson } from "../../server/trade/lessonClosing";
import { newOrderId, placeOrder } from "../../server/trade/placeOrder";
import { sweepTrade } from "../../server/trade/sweepTrade";
import { createUser } from "../fixtures";
import { fundWallet, moneyState, orderRow, paymentRow, walletBalance } from "../paymentFixtures";
import { paidPackage, platformBalance, refundRow, refundsOfOrder } from "../refundFixtures";
import { createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

const db = getDb();
const DAY = 86_400_000;
const MIN = 60_000;
/** Past the 7-day cooling-off: a student's request waits for an administrator. */
const afterCoolingOff = () => new Date(Date.now() + 8 * DAY);

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

async function postingsOf(refundId: string) {
  const rows = await db
    .select({ purpose: ledgerTransactions.purpose, amount: ledgerEntries.amount })
    .from(ledgerTransactions)
    .innerJoin(ledgerEntries, eq(ledgerEntries.transactionId, ledgerTransactions.id))
    .where(
      and(
        eq(ledgerTransactions.referenceKind, "refund"),
        eq(ledgerTransactions.referenceId, refundId),
      ),
    );
  const byPurpose = new Map<string, number[]>();
  for (const r of rows) byPurpose.set(r.purpose, [...(byPurpose.get(r.purpose) ?? []), r.amount]);
  for (const amounts of byPurpose.values()) amounts.sort((a, b) => a - b);
  return Object.fromEntries(byPurpose);
}

/** A gateway whose refund call fails, like a provider outage. */
function failingGateway(): GatewayProvider {
  return {
    ...sandboxGateway(),
    async refund() {
      throw new Error("sandbox: refunds are unavailable right now");
    },
  };
}

const admin = async () => ({ userId: (await createUser("admin", "Ada Admin")).id });

describe("refunds to the wallet", () => {
  it("cooling-off: a wallet-paid untouched order is refunded at once, all of it to the wallet", async () => {
    const { student, order, paymentId } = await paidPackage("wallet");
    expect(await walletBalance(student.id)).toBe(0);
    const prepaidBefore = await platformBalance("prepaid_lessons");

    const refund = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id, reason: "Changed my plans" },
    );
    expect(refund).toMatchObject({
      status: "succeeded",
      slots: 20,
      amount: 30_000,
      toWallet: 30_000,
      toGateway: 0,
      requestedBy: "student",
      reason: "Changed my plans",
      decidedBy: null,
    });
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded" });
    expect(await walletBalance(student.id)).toBe(30_000);
    expect(await platformBalance("prepaid_lessons")).toBe(prepaidBefore - 30_000);
    expect(await postingsOf(refund.id)).toEqual({ approve: [-30_000, 30_000] });
    expect(await paymentRow(paymentId)).toMatchObject({
      status: "refunded",
      refundedAmount: 30_000,
    });
    expect(await orderRefunds(db, { studentId: student.id }, order.id, new Date())).toMatchObject({
      refunds: [{ id: refund.id, status: "succeeded", amount: 30_000 }],
      quote: null,
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("after the cooling-off an admin approves; a used lesson makes it a partial refund of the unused value", async () => {
    const seller = await createSellingTeacher();
    const start = slotFromNow(48);
    await publish(seller.teacher.id, { start, slots: 4 });
    const { student, order, paymentId } = await paidPackage("wallet", { seller });
    const lesson = await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    const afterLesson = new Date(lesson.endsAt.getTime() + MIN);
    await closeLesson(
      db,
      { role: "teacher", teacherId: seller.teacher.id },
      { lessonId: lesson.id, outcome: "completed" },
      afterLesson,
    );
    expect(await orderRow(order.id)).toMatchObject({ status: "active", slotsUsed: 2 });

    const requested = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      new Date(afterLesson.getTime() + MIN),
    );
    expect(requested).toMatchObject({ status: "requested", slots: 18, amount: 27_000 });
    expect(await orderRow(order.id)).toMatchObject({ status: "refund_requested" });
    // Waiting for a decision: nothing can be booked against the order.
    const booking = await rejection(
      bookLesson(db, student.id, { orderId: order.id, start: slotFromNow(49), slots: 1 }),
    );
    expect(booking).toMatchObject({ kind: "conflict", field: "orderId" });

    const approved = await approveRefund(db, await admin(), requested.id);
    expect(approved).toMatchObject({ status: "succeeded", toWallet: 27_000, toGateway: 0 });
    expect(await orderRow(order.id)).toMatchObject({ status: "partially_refunded" });
    expect(await walletBalance(student.id)).toBe(27_000);
    expect(await paymentRow(paymentId)).toMatchObject({
      status: "partially_refunded",
      refundedAmount: 27_000,
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a declined request returns the order to paid (or in use) and may be asked again", async () => {
    const { student, order } = await paidPackage("wallet");
    const later = afterCoolingOff();
    const first = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      later,
    );
    const decider = await admin();
    const noReason = await rejection(
      declineRefund(db, decider, { refundId: first.id, reason: " " }, later),
    );
    expect(noReason).toMatchObject({ kind: "invalid", field: "reason" });

    const declined = await declineRefund(
      db,
      decider,
      { refundId: first.id, reason: "Outside the refund window" },
      later,
    );
    expect(declined).toMatchObject({
      status: "declined",
      declineReason: "Outside the refund window",
      decidedBy: decider.userId,
    });
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    expect(await walletBalance(student.id)).toBe(0);
    expect(await postingsOf(first.id)).toEqual({});
    // Decided once: neither decision can be taken again.
    expect(await rejection(approveRefund(db, decider, first.id))).toMatchObject({
      kind: "conflict",
      field: "refundId",
    });

    const second = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      later,
    );
    expect(second.status).toBe("requested");
    expect(await refundsOfOrder(order.id)).toHaveLength(2);
    expect(await reconcileLedger(db)).toEqual([]);
  });
});

describe("refunds to the gateway", () => {
  it("a gateway-paid order: refunds payable on approval, then back through the sandbox", async () => {
    const { student, order, paymentId } = await paidPackage("gateway");
    const clearingBefore = await platformBalance("gateway_clearing");
    const payableBefore = await platformBalance("refunds_payable");
    const requested = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      afterCoolingOff(),
    );
    expect(requested).toMatchObject({ status: "requested", toGateway: 30_000, toWallet: 0 });

    const approved = await approveRefund(db, await admin(), requested.id);
    expect(approved).toMatchObject({
      status: "succeeded",
      toGateway: 30_000,
      toWallet: 0,
      gatewayReference: `sbx_re_${requested.id}`,
      attempts: 1,
      lastError: null,
    });
    expect(await postingsOf(requested.id)).toEqual({
      approve: [-30_000, 30_000],
      gateway: [-30_000, 30_000],
    });
    expect(await platformBalance("refunds_payable")).toBe(payableBefore);
    expect(await platformBalance("gateway_clearing")).toBe(clearingBefore + 30_000);
    expect(await walletBalance(student.id)).toBe(0);
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded" });
    expect(await paymentRow(paymentId)).toMatchObject({ status: "refunded" });
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a provider failure leaves the refund processing; the sweep retries it after a backoff", async () => {
    const { student, order } = await paidPackage("gateway");
    const payableBefore = await platformBalance("refunds_payable");
    const requested = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      afterCoolingOff(),
    );
    const decidedAt = new Date();
    const approved = await approveRefund(
      db,
      await admin(),
      requested.id,
      decidedAt,
      failingGateway,
    );
    expect(approved).toMatchObject({
      status: "processing",
      attempts: 1,
      lastError: "sandbox: refunds are unavailable right now",
      gatewayReference: null,
    });
    // The order and the money owed are settled on our side; the gateway part waits.
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded" });
    expect(await platformBalance("refunds_payable")).toBe(payableBefore + 30_000);
    expect(await postingsOf(requested.id)).toEqual({ approve: [-30_000, 30_000] });

    // Not due yet: nothing is sent.
    expect(await retryGatewayRefunds(db, new Date(decidedAt.getTime() + 30_000))).toBe(0);
    expect((await refundRow(requested.id)).attempts).toBe(1);
    // Failing again counts another attempt.
    await retryGatewayRefunds(db, new Date(decidedAt.getTime() + MIN), failingGateway);
    expect(await refundRow(requested.id)).toMatchObject({ status: "processing", attempts: 2 });

    const swept = await sweepTrade(db, new Date(decidedAt.getTime() + 2 * MIN));
    expect(swept.gatewayRefunds).toBe(1);
    expect(await refundRow(requested.id)).toMatchObject({
      status: "succeeded",
      attempts: 3,
      lastError: null,
      gatewayReference: `sbx_re_${requested.id}`,
    });
    expect(await platformBalance("refunds_payable")).toBe(payableBefore);
    expect(await postingsOf(requested.id)).toEqual({
      approve: [-30_000, 30_000],
      gateway: [-30_000, 30_000],
    });
    // Done: another sweep sends nothing.
    expect((await sweepTrade(db, new Date(decidedAt.getTime() + 3 * DAY))).gatewayRefunds).toBe(0);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a mixed payment: the gateway part back to the card first, the rest to the wallet", async () => {
    const { student, order } = await paidPackage("mixed", { walletPart: 10_000 });
    expect(await walletBalance(student.id)).toBe(0);
    // Within the cooling-off: approved at once, the gateway part sent right after.
    const refund = await requestRefund(
      db,
      { role: "student", userId: student.id },
      { orderId: order.id },
    );
    expect(refund).toMatchObject({
      status: "succeeded",
      amount: 30_000,
      toGateway: 20_000,
      toWallet: 10_000,
      gatewayReference: `sbx_re_${refund.id}`,
    });
    expect(await walletBalance(student.id)).toBe(10_000);
    expect(await postingsOf(refund.id)).toEqual({
      approve: [-30_000, 10_000, 20_000],
      gateway: [-20_000, 20_000],
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });
});

describe("a combined checkout", () => {
  it("its orders share the gateway part: a later refund gets what earlier ones left, the rest to the wallet", async () => {
    const student = await createUser("student", "Cora Combined");
    const placed = [];
    for (const seller of [await createSellingTeacher(), await createSellingTeacher()]) {
      placed.push(
        await placeOrder(db, student.id, {
          orderId: newOrderId(),
          teacherId: seller.teacher.id,
          courseId: seller.courseId,
          purchase: { kind: "package", hours: 10 },
        }),
      );
    }
    await fundWallet(student.id, 10_000);
    const started = await startPayment(db, student.id, {
      idempotencyKey: `combined-${Date.now()}`,
      orderIds: placed.map((p) => p.order.id),
      method: "mixed",
      appUrl: "",
    });
    expect(started).toMatchObject({ fromWallet: 10_000, fromGateway: 50_000 });
    await applyGatewayEvent(db, "sandbox", {
      kind: "succeeded",
      paymentId: started.paymentId,
      transactionId: newSandboxTransactionId(),
      amount: 50_000,
      currency: "USD",
    });
    const me = { role: "student" as const, userId: student.id };
    const first = await requestRefund(db, me, { orderId: placed[0]!.order.id });
    expect(first).toMatchObject({ status: "succeeded", toGateway: 30_000, toWallet: 0 });
    const second = await requestRefund(db, me, { orderId: placed[1]!.order.id });
    expect(second).toMatchObject({ status: "succeeded", toGateway: 20_000, toWallet: 10_000 });
    expect(await walletBalance(student.id)).toBe(10_000);
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: "refunded",
      refundedAmount: 60_000,
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });
});

describe("teacher refunds", () => {
  it("a teacher refunds their student's unused hours at once, with a reason", async () => {
    const { seller, student, order } = await paidPackage("gateway");
    const teacher = {
      role: "teacher" as const,
      teacherId: seller.teacher.id,
      userId: seller.user.id,
    };
    const noReason = await rejection(requestRefund(db, teacher, { orderId: order.id }));
    expect(noReason).toMatchObject({ kind: "invalid", field: "reason" });
    const other = await createSellingTeacher();
    const stranger = await rejection(
      requestRefund(
        db,
        { role: "teacher", teacherId: other.teacher.id, userId: other.user.id },
        { orderId: order.id, reason: "Not my student" },
      ),
    );
    expect(stranger).toMatchObject({ kind: "not_found", field: "orderId" });

    const refund = await requestRefund(
      db,
      teacher,
      { orderId: order.id, reason: "I am moving abroad" },
      afterCoolingOff(),
    );
    expect(refund).toMatchObject({
      status: "succeeded",
      requestedBy: "teacher",
      decidedBy: seller.user.id,
      reason: "I am moving abroad",
      toGateway: 30_000,
    });
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded" });
    expect(await orderRefunds(db, { studentId: student.id }, order.id, new Date())).toMatchObject({
      refunds: [{ requestedBy: "teacher", status: "succeeded" }],
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });
});

describe("refused refunds write nothing and name the field", () => {
  it("booked lessons, an unpaid order, someone else's order, a second request", async () => {
    const seller = await createSellingTeacher();
    const start = slotFromNow(48);
    await publish(seller.teacher.id, { start, slots: 4 });
    const { student, order } = await paidPackage("wallet", { seller });
    await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    const me = { role: "student" as const, userId: student.id };

    const unpaid = await placeOrder(db, student.id, {
      orderId: newOrderId(),
      teacherId: seller.teacher.id,
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 10 },
    });
    const stranger = await createUser("student", "Nosy Neighbour");
    const before = await moneyState();

    const booked = await rejection(requestRefund(db, me, { orderId: order.id }));
    expect(booked).toMatchObject({ kind: "conflict", field: "orderId" });
    expect(booked.message).toMatch(/1 booked lesson/);
    expect(await rejection(requestRefund(db, me, { orderId: unpaid.order.id }))).toMatchObject({
      kind: "conflict",
      field: "orderId",
    });
    expect(
      await rejection(
        requestRefund(db, { role: "student", userId: stranger.id }, { orderId: order.id }),
      ),
    ).toMatchObject({ kind: "not_found", field: "orderId" });
    expect(
      await rejection(requestRefund(db, me, { orderId: order.id, reason: "x".repeat(501) })),
    ).toMatchObject({ kind: "invalid", field: "reason" });
    expect(await moneyState()).toEqual(before);
    expect(await refundsOfOrder(order.id)).toEqual([]);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });

    // The quote the order page shows says why.
    expect(await orderRefunds(db, { studentId: student.id }, order.id, new Date())).toMatchObject({
      quote: { slots: 20, amount: 30_000, bookedLessons: 1, hasPayment: true },
    });

    const fresh = await paidPackage("wallet");
    const freshMe = { role: "student" as const, userId: fresh.student.id };
    await requestRefund(db, freshMe, { orderId: fresh.order.id }, afterCoolingOff());
    const again = await rejection(
      requestRefund(db, freshMe, { orderId: fresh.order.id }, afterCoolingOff()),
    );
    expect(again).toMatchObject({ kind: "conflict", field: "orderId" });
    expect(again.message).toMatch(/already been requested/);
    expect(await refundsOfOrder(fresh.order.id)).toHaveLength(1);
    expect(await reconcileLedger(db)).toEqual([]);
  });
});
