import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client";
import { platformAccount, walletAccount } from "../../server/ledger/ledgerAccounts";
import { lockAccounts, postTransaction } from "../../server/ledger/postTransaction";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import {
  expireLapsedPayments,
  PAYMENT_EXPIRY_GRACE_MS,
} from "../../server/payment/expireLapsedPayments";
import { getPayment } from "../../server/payment/paymentViews";
import { receiveWebhook } from "../../server/payment/receiveWebhook";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { sandboxDeliverySteps } from "../../server/payment/sandboxDeliveryOptions";
import { startPayment } from "../../server/payment/startPayment";
import { startTopUp } from "../../server/payment/startTopUp";
import { bookLesson } from "../../server/trade/lessonBooking";
import { sweepTrade } from "../../server/trade/sweepTrade";
import { createUser } from "../fixtures";
import {
  callbacksOf,
  fundWallet,
  heldLesson,
  itemsOf,
  lessonRow,
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
const key = () => `late-${Date.now()}-${++keys}`;

const success = (paymentId: string, amount: number, transactionId = newSandboxTransactionId()) =>
  ({ type: "payment.succeeded", paymentId, transactionId, amount, currency: "USD" }) as const;
const failure = (paymentId: string, reason = "declined by the payer") =>
  ({
    type: "payment.failed",
    paymentId,
    transactionId: newSandboxTransactionId(),
    reason,
  }) as const;

async function deliver(body: Parameters<typeof sandboxCallback>[0], at = new Date()) {
  const signed = sandboxCallback(body, at);
  return receiveWebhook(db, "sandbox", signed.raw, signed.headers, at);
}

async function pendingPayment(method: "gateway" | "mixed" = "gateway", start = slotFromNow(48)) {
  const { seller } = await sellerWithTime(start);
  const held = await heldLesson(seller, start);
  const started = await startPayment(db, held.student.id, {
    idempotencyKey: key(),
    orderIds: [held.order.id],
    method,
    appUrl: "",
  });
  return { ...held, seller, start, started };
}

describe("late money", () => {
  it("declined, then a late success while the order still holds its time: paid and booked", async () => {
    const { order, lesson, started } = await pendingPayment();
    expect(await deliver(failure(started.paymentId))).toMatchObject({ outcome: "applied" });
    expect((await paymentRow(started.paymentId)).status).toBe("failed");

    expect(await deliver(success(started.paymentId, 3000))).toEqual({
      status: 200,
      outcome: "applied",
    });
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: "succeeded",
      refundedAmount: 0,
    });
    expect((await orderRow(order.id)).status).toBe("paid");
    expect((await lessonRow(lesson.id)).status).toBe("booked");
    expect((await callbacksOf(started.paymentId)).at(-1)?.reason).toBe(
      "late: the payment was failed",
    );
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("declined, then a late success after the order expired and its time was sold: refund to the wallet with a note", async () => {
    const { student, order, seller, start, started } = await pendingPayment();
    await deliver(failure(started.paymentId));
    const afterLapse = new Date(order.holdExpiresAt.getTime() + MIN);
    const { student: rival, order: rivalPackage } = await createPaidPackage(seller, 10);
    await bookLesson(db, rival.id, { orderId: rivalPackage.id, start, slots: 2 }, afterLapse);
    expect((await orderRow(order.id)).status).toBe("expired");

    expect((await deliver(success(started.paymentId, 3000), afterLapse)).outcome).toBe("applied");
    expect(await paymentRow(started.paymentId)).toMatchObject({
      status: "refunded",
      refundedAmount: 3000,
    });
    expect((await orderRow(order.id)).status).toBe("expired");
    expect(await walletBalance(student.id)).toBe(3000);
    const view = await getPayment(db, student.id, started.paymentId);
    expect(view.items[0]).toMatchObject({
      outcome: "refunded_to_wallet",
      note: "Refunded to your wallet: the held time expired before the payment arrived.",
    });
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("only a second success under another transaction id for a succeeded payment is rejected", async () => {
    const { started } = await pendingPayment();
    const first = success(started.paymentId, 3000);
    expect((await deliver(first)).outcome).toBe("applied");
    expect((await deliver(first)).outcome).toBe("duplicate");
    expect(await deliver(success(started.paymentId, 3000))).toEqual({
      status: 400,
      outcome: "rejected",
    });
    expect((await paymentRow(started.paymentId)).status).toBe("succeeded");
  });

  it("the sweep expires open payments after their checkout closed plus the grace, once", async () => {
    const student = await createUser("student");
    const now = new Date();
    const topUp = await startTopUp(
      db,
      student.id,
      { amount: 1000, currency: "USD", idempotencyKey: key(), appUrl: "" },
      now,
    );
    const closes = now.getTime() + 60 * MIN;
    // Within the grace: still open.
    expect(await expireLapsedPayments(db, new Date(closes + PAYMENT_EXPIRY_GRACE_MS - 1000))).toBe(
      0,
    );
    expect((await paymentRow(topUp.paymentId)).status).toBe("pending");
    const sweepAt = new Date(closes + PAYMENT_EXPIRY_GRACE_MS + 1000);
    const outcome = await sweepTrade(db, sweepAt);
    expect(outcome.expiredPayments).toBeGreaterThanOrEqual(1);
    expect((await paymentRow(topUp.paymentId)).status).toBe("expired");
    expect(await expireLapsedPayments(db, sweepAt)).toBe(0);
  });

  it("an expired top-up's late success still credits the wallet", async () => {
    const student = await createUser("student");
    const now = new Date();
    const topUp = await startTopUp(
      db,
      student.id,
      { amount: 2000, currency: "USD", idempotencyKey: key(), appUrl: "" },
      now,
    );
    const late = new Date(now.getTime() + 2 * 60 * MIN);
    await expireLapsedPayments(db, late);
    expect((await paymentRow(topUp.paymentId)).status).toBe("expired");
    // A failure for an expired payment changes nothing.
    expect((await deliver(failure(topUp.paymentId), late)).outcome).toBe("ignored");
    expect((await deliver(success(topUp.paymentId, 2000), late)).outcome).toBe("applied");
    expect((await paymentRow(topUp.paymentId)).status).toBe("succeeded");
    expect(await walletBalance(student.id)).toBe(2000);
    expect(await reconcileLedger(db)).toEqual([]);
  });
});

describe("sandbox delivery options", () => {
  it("out of order: the abandoned attempt's failure after the success leaves the payment succeeded", async () => {
    const { student, order, started } = await pendingPayment("gateway", slotFromNow(60));
    const view = await getPayment(db, student.id, started.paymentId);
    const steps = sandboxDeliverySteps(view, "pay", "out_of_order", newSandboxTransactionId);
    expect(steps.map((s) => [s.body.type, s.plan.copies])).toEqual([
      ["payment.succeeded", 2],
      ["payment.failed", 1],
    ]);
    expect(steps[0]!.body.transactionId).not.toBe(steps[1]!.body.transactionId);
    const outcomes: string[] = [];
    for (const step of steps) {
      const copies = await Promise.all(
        Array.from({ length: step.plan.copies }, () => deliver(step.body)),
      );
      outcomes.push(...copies.map((c) => c.outcome ?? ""));
    }
    expect(outcomes.sort()).toEqual(["applied", "duplicate", "ignored"]);
    expect((await paymentRow(started.paymentId)).status).toBe("succeeded");
    expect((await orderRow(order.id)).status).toBe("paid");
  });

  it("late: delayed after the checkout expired, the success still lands", async () => {
    const { student, order, started } = await pendingPayment("gateway", slotFromNow(64));
    const view = await getPayment(db, student.id, started.paymentId);
    const [step] = sandboxDeliverySteps(view, "pay", "late", newSandboxTransactionId);
    expect(step!.plan).toEqual({ copies: 2, delayMs: 20_000 });
    // The checkout closes with the hold; the sweep expires the payment (the order too).
    const late = new Date(order.holdExpiresAt.getTime() + PAYMENT_EXPIRY_GRACE_MS + MIN);
    await sweepTrade(db, late);
    expect((await paymentRow(started.paymentId)).status).toBe("expired");
    const outcomes = await Promise.all([deliver(step!.body, late), deliver(step!.body, late)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["applied", "duplicate"]);
    // The order expired meanwhile: the money is in the wallet, with the reason.
    expect((await paymentRow(started.paymentId)).status).toBe("refunded");
    expect(await walletBalance(student.id)).toBe(3000);
  });
});

describe("a mixed payment's wallet part, decided under locks", () => {
  it("a wallet spent while the callback waits gives a clean application into the wallet, never a 500", async () => {
    const { seller, start } = await sellerWithTime(slotFromNow(70));
    const { student, order } = await heldLesson(seller, start);
    await fundWallet(student.id, 1000);
    const mixed = await startPayment(db, student.id, {
      idempotencyKey: key(),
      orderIds: [order.id],
      method: "mixed",
      appUrl: "",
    });
    const row = await paymentRow(mixed.paymentId);
    expect(row.fromWallet).toBe(1000);

    // Another transaction locks the wallet (as any posting does), and spends it only once
    // the callback has read what it reads and waits on that lock.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let spending!: () => void;
    const spent = new Promise<void>((resolve) => {
      spending = resolve;
    });
    const wallet = await walletAccount(db, student.id, "USD");
    const clearing = await platformAccount(db, "gateway_clearing", "USD");
    const spender = db.transaction(async (tx) => {
      await lockAccounts(tx, [wallet.id, clearing.id]);
      spending();
      await released;
      await postTransaction(tx, {
        reference: { kind: "adjustment", id: `spend-${row.id}`, purpose: "test" },
        lines: [
          { accountId: wallet.id, currency: "USD", amount: -1000 },
          { accountId: clearing.id, currency: "USD", amount: 1000 },
        ],
      });
    });
    await spent;
    const webhook = deliver(success(row.id, row.fromGateway));
    // Wait until the webhook's transaction waits on a lock (the wallet's), then commit.
    for (;;) {
      const [waiting] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
      );
      if ((waiting?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    await spender;
    expect(await webhook).toEqual({ status: 200, outcome: "applied" });
    expect(await paymentRow(row.id)).toMatchObject({
      status: "refunded",
      refundedAmount: row.fromGateway,
    });
    expect(await walletBalance(student.id)).toBe(row.fromGateway);
    expect((await orderRow(order.id)).status).toBe("pending_payment");
    expect((await itemsOf(row.id))[0]).toMatchObject({ outcome: "refunded_to_wallet" });
    expect(await reconcileLedger(db)).toEqual([]);
  });
});
