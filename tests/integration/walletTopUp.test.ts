import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { DomainError } from "../../server/domainError";
import { platformAccount } from "../../server/ledger/ledgerAccounts";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { receiveWebhook } from "../../server/payment/receiveWebhook";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { startTopUp } from "../../server/payment/startTopUp";
import { walletStatement, walletSummary } from "../../server/payment/walletViews";
import { createUser } from "../fixtures";
import {
  itemsOf,
  moneyState,
  paymentRow,
  sandboxCallback,
  walletBalance,
} from "../paymentFixtures";

const db = getDb();
const MIN = 60_000;
let keys = 0;
const key = () => `topup-${Date.now()}-${++keys}`;

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

const success = (paymentId: string, amount: number, transactionId = newSandboxTransactionId()) =>
  ({ type: "payment.succeeded", paymentId, transactionId, amount, currency: "USD" }) as const;

describe("wallet top-ups", () => {
  it("opens a sandbox checkout for an hour: purpose top_up, no items, all from the gateway", async () => {
    const student = await createUser("student", "Tina Topper");
    const now = new Date();
    const input = { amount: 2500, currency: "USD", idempotencyKey: key(), appUrl: "" };
    const started = await startTopUp(db, student.id, input, now);
    expect(started).toMatchObject({
      status: "pending",
      amount: 2500,
      fromWallet: 0,
      fromGateway: 2500,
      redirectUrl: `/sandbox/pay/${started.paymentId}`,
      created: true,
    });
    const row = await paymentRow(started.paymentId);
    expect(row).toMatchObject({ purpose: "top_up", method: "gateway", gateway: "sandbox" });
    expect(row.expiresAt?.getTime()).toBe(now.getTime() + 60 * MIN);
    expect(await itemsOf(started.paymentId)).toEqual([]);

    // The same key again: the same payment, nothing new.
    const again = await startTopUp(db, student.id, input, now);
    expect(again).toMatchObject({ paymentId: started.paymentId, created: false });
    const summary = await walletSummary(db, student.id);
    expect(summary.balances).toEqual([{ currency: "USD", balance: 0 }]);
    expect(summary.pendingTopUps.map((p) => p.paymentId)).toEqual([started.paymentId]);

    // The key with another amount is refused, naming it.
    expect(
      (await rejection(startTopUp(db, student.id, { ...input, amount: 3000 }, now))).field,
    ).toBe("idempotencyKey");
  });

  it("concurrent submissions with one key create one payment", async () => {
    const student = await createUser("student");
    const input = { amount: 1000, currency: "USD", idempotencyKey: key(), appUrl: "" };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => startTopUp(db, student.id, input)),
    );
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it("refuses amounts outside 5.00–2,000.00 and other currencies, naming the field, writing nothing", async () => {
    const student = await createUser("student");
    const before = await moneyState();
    for (const amount of [0, 499, 200_001, -500, 12.5]) {
      const error = await rejection(
        startTopUp(db, student.id, { amount, currency: "USD", idempotencyKey: key(), appUrl: "" }),
      );
      expect(error).toMatchObject({ kind: "invalid", field: "amount" });
      expect(error.message).toBe("A top-up is between $5.00 and $2,000.00");
    }
    expect(
      await rejection(
        startTopUp(db, student.id, {
          amount: 1000,
          currency: "EUR",
          idempotencyKey: key(),
          appUrl: "",
        }),
      ),
    ).toMatchObject({ kind: "invalid", field: "currency" });
    expect(await moneyState()).toEqual(before);
    // The limits themselves are allowed.
    for (const amount of [500, 200_000]) {
      await startTopUp(db, student.id, {
        amount,
        currency: "USD",
        idempotencyKey: key(),
        appUrl: "",
      });
    }
  });

  it("a succeeded top-up credits the wallet once (doubled callback), shown on the statement", async () => {
    const student = await createUser("student");
    const started = await startTopUp(db, student.id, {
      amount: 4200,
      currency: "USD",
      idempotencyKey: key(),
      appUrl: "",
    });
    const clearingBefore = (await platformAccount(db, "gateway_clearing", "USD")).balance;
    const callback = sandboxCallback(success(started.paymentId, 4200));
    const outcomes = await Promise.all([
      receiveWebhook(db, "sandbox", callback.raw, callback.headers),
      receiveWebhook(db, "sandbox", callback.raw, callback.headers),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["applied", "duplicate"]);
    expect(await walletBalance(student.id)).toBe(4200);
    expect((await platformAccount(db, "gateway_clearing", "USD")).balance).toBe(
      clearingBefore - 4200,
    );
    expect(await paymentRow(started.paymentId)).toMatchObject({ status: "succeeded" });
    const statement = await walletStatement(db, student.id, "USD");
    expect(statement.lines).toMatchObject([
      { kind: "top_up", description: "Wallet top-up", amount: 4200, balanceAfter: 4200 },
    ]);
    expect((await walletSummary(db, student.id)).pendingTopUps).toEqual([]);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it("a wrong amount for a top-up is rejected and credits nothing", async () => {
    const student = await createUser("student");
    const started = await startTopUp(db, student.id, {
      amount: 1000,
      currency: "USD",
      idempotencyKey: key(),
      appUrl: "",
    });
    const callback = sandboxCallback(success(started.paymentId, 100_000));
    expect((await receiveWebhook(db, "sandbox", callback.raw, callback.headers)).outcome).toBe(
      "rejected",
    );
    expect(await walletBalance(student.id)).toBe(0);
  });
});
