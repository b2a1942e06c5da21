import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { DomainError } from "../../server/domainError";
import { platformAccount } from "../../server/ledger/ledgerAccounts";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { applyGatewayEvent } from "../../server/payment/applyGatewayEvent";
import { getPayment } from "../../server/payment/paymentViews";
import { receiveWebhook } from "../../server/payment/receiveWebhook";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { startPayment } from "../../server/payment/startPayment";
import { bookLesson } from "../../server/trade/lessonBooking";
import { createUser } from "../fixtures";
import {
  callbacksOf,
  fundWallet,
  heldLesson,
  itemsOf,
  lessonRow,
  moneyState,
  orderRow,
  paymentRow,
  sandboxCallback,
  sellerWithTime,
  walletBalance,
} from "../paymentFixtures";
import { createPaidPackage, slotFromNow } from "../tradeFixtures";

const db = getDb();
const MIN = 60_000;
let keys = 0;
const key = () => `key-${Date.now()}-${++keys}`;

const balanceOf = async (kind: "gateway_clearing" | "prepaid_lessons") =>
  (await platformAccount(db, kind, "USD")).balance;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** A pending gateway payment for one held lesson. */
async function pendingPayment(method: "gateway" | "mixed" = "gateway") {
  const { seller, start } = await sellerWithTime();
  const held = await heldLesson(seller, start);
  const started = await startPayment(db, held.student.id, {
    idempotencyKey: key(),
    orderIds: [held.order.id],
    method,
    appUrl: "",
  });
  return { ...held, seller, start, started };
}

const success = (paymentId: string, amount: number, transactionId = newSandboxTransactionId()) =>
  ({
    type: "payment.succeeded",
    paymentId,
    transactionId,
    amount,
    currency: "USD",
  }) as const;

describe("wallet payments", () => {
  it("a wallet-only payment pays the order at once: order paid, lesson booked, ledger moved", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    await fundWallet(held.student.id, 5000);
    const prepaidBefore = await balanceOf("prepaid_lessons");
    const idempotencyKey = key();
    const input = {
      idempotencyKey,
      orderIds: [held.order.id],
      method: "wallet" as const,
      appUrl: "",
    };

    const paid = await startPayment(db, held.student.id, input);
    expect(paid).toMatchObject({
      status: "succeeded",
      amount: 3000,
      fromWallet: 3000,
      fromGateway: 0,
      redirectUrl: null,
      created: true,
    });
    expect(await orderRow(held.order.id)).toMatchObject({ status: "paid" });
    expect((await lessonRow(held.lesson.id)).status).toBe("booked");
    expect(await walletBalance(held.student.id)).toBe(2000);
    expect(await balanceOf("prepaid_lessons")).toBe(prepaidBefore + 3000);
    expect(await itemsOf(paid.paymentId)).toEqual([
      expect.objectContaining({ orderId: held.order.id, amount: 3000, outcome: "paid" }),
    ]);
    expect(await paymentRow(paid.paymentId)).toMatchObject({ gateway: null, version: 2 });

    // The same key again: the same payment, nothing moves.
    const before = await moneyState();
    expect(await startPayment(db, held.student.id, input)).toMatchObject({
      paymentId: paid.paymentId,
      status: "succeeded",
      created: false,
    });
    expect(await moneyState()).toEqual(before);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("refuses what cannot be paid, naming orderIds, and writes nothing", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    const other = await createUser("student");
    const { order: paidOrder, student: owner } = await createPaidPackage(seller, 10);
    const before = await moneyState();
    const cases: [string, string[], string, string?][] = [
      [other.id, [held.order.id], "not_found"],
      [owner.id, [paidOrder.id], "conflict"],
      [held.student.id, [held.order.id], "conflict", "wallet"],
    ];
    for (const [payer, orderIds, kind, method] of cases) {
      const error = await rejection(
        startPayment(db, payer, {
          idempotencyKey: key(),
          orderIds,
          method: (method ?? "gateway") as "wallet" | "gateway",
          appUrl: "",
        }),
      );
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind, field: method === "wallet" ? "method" : "orderIds" });
    }
    // A lapsed hold cannot start a payment.
    const lapsed = await rejection(
      startPayment(
        db,
        held.student.id,
        { idempotencyKey: key(), orderIds: [held.order.id], method: "gateway", appUrl: "" },
        new Date(held.order.holdExpiresAt.getTime() + MIN),
      ),
    );
    expect(lapsed).toMatchObject({ kind: "conflict", field: "orderIds" });
    expect(await moneyState()).toEqual(before);
  });
});

describe("gateway payments through the webhook", () => {
  it("start → pending → a signed success is applied once; the same callback again is a duplicate", async () => {
    const { student, order, lesson, started } = await pendingPayment();
    expect(started).toMatchObject({
      status: "pending",
      fromGateway: 3000,
      fromWallet: 0,
      redirectUrl: `/sandbox/pay/${started.paymentId}`,
    });
    expect(await paymentRow(started.paymentId)).toMatchObject({
      gateway: "sandbox",
      gatewayReference: `sbx_cs_${started.paymentId}`,
    });
    const clearingBefore = await balanceOf("gateway_clearing");
    const callback = sandboxCallback(success(started.paymentId, 3000));

    expect(await receiveWebhook(db, "sandbox", callback.raw, callback.headers)).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await paymentRow(started.paymentId)).toMatchObject({ status: "succeeded" });
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    expect((await lessonRow(lesson.id)).status).toBe("booked");
    expect(await balanceOf("gateway_clearing")).toBe(clearingBefore - 3000);

    const before = await moneyState();
    expect(await receiveWebhook(db, "sandbox", callback.raw, callback.headers)).toEqual({
      status: 200,
      outcome: "duplicate",
    });
    expect(await moneyState()).toEqual(before);
    expect((await callbacksOf(started.paymentId)).map((c) => c.outcome)).toEqual([
      "applied",
      "duplicate",
    ]);
    const view = await getPayment(db, student.id, started.paymentId);
    expect(view).toMatchObject({
      status: "succeeded",
      items: [{ orderId: order.id, outcome: "paid" }],
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a bad signature is a 400, stored as rejected, and changes nothing else", async () => {
    const { order, started } = await pendingPayment();
    const forged = sandboxCallback(
      success(started.paymentId, 3000),
      new Date(),
      "not-the-sandbox-secret-at-all",
    );
    const before = await moneyState();
    expect(await receiveWebhook(db, "sandbox", forged.raw, forged.headers)).toEqual({
      status: 400,
      outcome: "rejected",
    });
    expect(await moneyState()).toEqual(before);
    expect((await paymentRow(started.paymentId)).status).toBe("pending");
    expect((await orderRow(order.id)).status).toBe("pending_payment");
    const stored = (await callbacksOf(null)).at(-1);
    expect(stored).toMatchObject({ outcome: "rejected", reason: "signature does not match" });
    // Malformed bodies and unknown gateways too.
    const junk = await receiveWebhook(db, "sandbox", "{not json", new Headers());
    expect(junk).toEqual({ status: 400, outcome: "rejected" });
    expect(await receiveWebhook(db, "paypal", "{}", new Headers())).toEqual({
      status: 404,
      outcome: null,
    });
    expect(await moneyState()).toEqual(before);
  });

  it("a wrong amount, a wrong currency or an unknown payment is rejected and changes nothing", async () => {
    const { order, started } = await pendingPayment();
    const before = await moneyState();
    const wrongAmount = sandboxCallback(success(started.paymentId, 2999));
    expect(await receiveWebhook(db, "sandbox", wrongAmount.raw, wrongAmount.headers)).toEqual({
      status: 400,
      outcome: "rejected",
    });
    const wrongCurrency = sandboxCallback({ ...success(started.paymentId, 3000), currency: "EUR" });
    expect(
      (await receiveWebhook(db, "sandbox", wrongCurrency.raw, wrongCurrency.headers)).outcome,
    ).toBe("rejected");
    const unknown = sandboxCallback(success("123456789012", 3000));
    expect(await receiveWebhook(db, "sandbox", unknown.raw, unknown.headers)).toEqual({
      status: 400,
      outcome: "rejected",
    });
    const outOfRange = sandboxCallback(success("9999999999999999999", 3000));
    expect((await receiveWebhook(db, "sandbox", outOfRange.raw, outOfRange.headers)).status).toBe(
      400,
    );
    expect(await moneyState()).toEqual(before);
    expect((await paymentRow(started.paymentId)).status).toBe("pending");
    expect((await orderRow(order.id)).status).toBe("pending_payment");
    expect((await callbacksOf(started.paymentId)).map((c) => c.reason)).toEqual([
      "amount 2999, expected 3000",
      "currency EUR, expected USD",
    ]);
    expect((await callbacksOf(null)).at(-1)?.reason).toBe("unknown payment 9999999999999999999");

    // The right callback still applies afterwards.
    const right = sandboxCallback(success(started.paymentId, 3000));
    expect((await receiveWebhook(db, "sandbox", right.raw, right.headers)).outcome).toBe("applied");
  });

  it("a decline fails the payment; no money moves and the order keeps waiting", async () => {
    const { order, started } = await pendingPayment();
    const before = await moneyState();
    const decline = sandboxCallback({
      type: "payment.failed",
      paymentId: started.paymentId,
      transactionId: newSandboxTransactionId(),
      reason: "declined by the payer",
    });
    expect(await receiveWebhook(db, "sandbox", decline.raw, decline.headers)).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: "failed",
      failureReason: "declined by the payer",
    });
    expect((await orderRow(order.id)).status).toBe("pending_payment");
    const after = await moneyState();
    expect({ ...after, payment_versions: before.payment_versions }).toEqual(before);
    expect((await receiveWebhook(db, "sandbox", decline.raw, decline.headers)).outcome).toBe(
      "duplicate",
    );
  });

  it("a success after the hold lapsed and the time was sold: money to the wallet, order stays expired", async () => {
    const { student, order, lesson, seller, start, started } = await pendingPayment();
    const afterLapse = new Date(order.holdExpiresAt.getTime() + MIN);
    const { student: rival, order: rivalPackage } = await createPaidPackage(seller, 10);
    await bookLesson(db, rival.id, { orderId: rivalPackage.id, start, slots: 2 }, afterLapse);
    expect((await orderRow(order.id)).status).toBe("expired");
    const prepaidBefore = await balanceOf("prepaid_lessons");
    const clearingBefore = await balanceOf("gateway_clearing");

    const late = sandboxCallback(success(started.paymentId, 3000), afterLapse);
    expect(await receiveWebhook(db, "sandbox", late.raw, late.headers, afterLapse)).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await orderRow(order.id)).toMatchObject({ status: "expired", paidAt: null });
    expect((await lessonRow(lesson.id)).status).toBe("expired");
    expect(await walletBalance(student.id)).toBe(3000);
    expect(await balanceOf("gateway_clearing")).toBe(clearingBefore - 3000);
    expect(await balanceOf("prepaid_lessons")).toBe(prepaidBefore);
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: "refunded",
      refundedAmount: 3000,
    });
    const view = await getPayment(db, student.id, started.paymentId);
    expect(view.items).toEqual([
      {
        orderId: order.id,
        amount: 3000,
        outcome: "refunded_to_wallet",
        note: "Refunded to your wallet: the held time expired before the payment arrived.",
      },
    ]);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a combined mixed checkout pays two orders from two teachers: wallet first, gateway the rest", async () => {
    const a = await sellerWithTime();
    const b = await sellerWithTime(slotFromNow(52));
    const first = await heldLesson(a.seller, a.start);
    const second = await heldLesson(b.seller, b.start, first.student);
    await fundWallet(first.student.id, 1000);
    const started = await startPayment(db, first.student.id, {
      idempotencyKey: key(),
      orderIds: [first.order.id, second.order.id],
      method: "mixed",
      appUrl: "https://halfhour.example",
    });
    expect(started).toMatchObject({
      status: "pending",
      amount: 6000,
      fromWallet: 1000,
      fromGateway: 5000,
    });
    // The wallet part is taken only when the gateway part succeeds.
    expect(await walletBalance(first.student.id)).toBe(1000);
    const prepaidBefore = await balanceOf("prepaid_lessons");

    const callback = sandboxCallback(success(started.paymentId, 5000));
    expect((await receiveWebhook(db, "sandbox", callback.raw, callback.headers)).outcome).toBe(
      "applied",
    );
    for (const held of [first, second]) {
      expect((await orderRow(held.order.id)).status).toBe("paid");
      expect((await lessonRow(held.lesson.id)).status).toBe("booked");
    }
    expect(await walletBalance(first.student.id)).toBe(0);
    expect(await balanceOf("prepaid_lessons")).toBe(prepaidBefore + 6000);
    expect((await itemsOf(started.paymentId)).map((i) => i.outcome)).toEqual(["paid", "paid"]);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a mixed payment whose wallet part was spent meanwhile credits the gateway money to the wallet", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    await fundWallet(held.student.id, 1000);
    const started = await startPayment(db, held.student.id, {
      idempotencyKey: key(),
      orderIds: [held.order.id],
      method: "mixed",
      appUrl: "",
    });
    // The wallet is spent on another order before the gateway answers.
    const { seller: other, start: otherStart } = await sellerWithTime(slotFromNow(52));
    const elsewhere = await heldLesson(other, otherStart, held.student);
    await fundWallet(held.student.id, 2000);
    await startPayment(db, held.student.id, {
      idempotencyKey: key(),
      orderIds: [elsewhere.order.id],
      method: "wallet",
      appUrl: "",
    });
    expect(await walletBalance(held.student.id)).toBe(0);

    const result = await applyGatewayEvent(db, "sandbox", {
      kind: "succeeded",
      paymentId: started.paymentId,
      transactionId: newSandboxTransactionId(),
      amount: 2000,
      currency: "USD",
    });
    expect(result.outcome).toBe("applied");
    expect(await walletBalance(held.student.id)).toBe(2000);
    expect((await orderRow(held.order.id)).status).toBe("pending_payment");
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: "refunded",
      refundedAmount: 2000,
    });
    expect((await itemsOf(started.paymentId))[0]).toMatchObject({ outcome: "refunded_to_wallet" });
    expect(await reconcileLedger(db)).toEqual([]);
  });
});
