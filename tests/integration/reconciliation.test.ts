import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { emptyDatabase } from "../../db/seed/seedDemo";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { receiveWebhook } from "../../server/payment/receiveWebhook";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { startPayment } from "../../server/payment/startPayment";
import {
  describeRun,
  recentReconciliationRuns,
  runReconciliation,
} from "../../server/reconciliation/runReconciliation";
import { confirmOrderPaid } from "../../server/trade/confirmOrderPaid";
import { createUser, sessionOf } from "../fixtures";
import { fundWallet, heldLesson, sandboxCallback, sellerWithTime } from "../paymentFixtures";
import { createPaidPackage } from "../tradeFixtures";

const db = getDb();
const callerFor = (session: AppSession | null) =>
  createCaller({ db, cache: getCache(), session, requestId: "test" });

/** Money as real use leaves it: a gateway payment, a wallet payment, a top-up. */
async function realisticMoney() {
  const { seller, start } = await sellerWithTime();
  const held = await heldLesson(seller, start);
  const started = await startPayment(db, held.student.id, {
    idempotencyKey: `rec-${held.order.id}`,
    orderIds: [held.order.id],
    method: "gateway",
    appUrl: "",
  });
  const callback = sandboxCallback({
    type: "payment.succeeded",
    paymentId: started.paymentId,
    transactionId: newSandboxTransactionId(),
    amount: started.fromGateway,
    currency: started.currency,
  });
  expect((await receiveWebhook(db, "sandbox", callback.raw, callback.headers)).outcome).toBe(
    "applied",
  );
  const pkg = await createPaidPackage(seller, 10);
  const student = await createUser("student");
  await fundWallet(student.id, 5_000);
  return { seller, held, paymentId: started.paymentId, pkg };
}

const kinds = async () => {
  const run = await runReconciliation(db, { kind: "command" });
  return run.mismatches.map((m) => `${m.check}:${m.kind}`).sort();
};

describe("reconciliation", () => {
  beforeEach(async () => {
    await emptyDatabase(db);
  });

  it("finds nothing after real payments, and stores the run", async () => {
    await realisticMoney();
    const run = await runReconciliation(db, { kind: "command" });
    expect(describeRun(run)).toContain("0 mismatch(es)");
    expect(run.mismatches).toEqual([]);
    expect(run.checked).toMatchObject({ payments: 4, orders: 2 });
    const [stored] = await recentReconciliationRuns(db);
    expect(stored).toMatchObject({ id: run.id, mismatchCount: 0, trigger: "command" });
  });

  it("names a balance that no longer matches its entries", async () => {
    await realisticMoney();
    await db.execute(
      sql`UPDATE ledger_accounts SET balance = balance + 1 WHERE kind = 'student_wallet'`,
    );
    expect(await kinds()).toEqual(
      expect.arrayContaining(["ledger:balance", "ledger:currency_total"]),
    );
  });

  it("names an order paid without a payment", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    await db.transaction((tx) => confirmOrderPaid(tx, held.order.id, new Date()));
    const run = await runReconciliation(db, { kind: "command" });
    expect(run.mismatches).toEqual([
      expect.objectContaining({
        check: "orders",
        kind: "paid_without_payment",
        subject: `order ${held.order.id}`,
      }),
      // …and the prepaid money it never received.
      expect.objectContaining({ check: "refunds", kind: "prepaid_lessons" }),
    ]);
  });

  it("names a payment marked collected with no gateway callback behind it", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    const started = await startPayment(db, held.student.id, {
      idempotencyKey: `rec-${held.order.id}`,
      orderIds: [held.order.id],
      method: "gateway",
      appUrl: "",
    });
    await db.execute(
      sql`UPDATE payments SET status = 'succeeded', gateway_transaction_id = 'sbx_tx_forged' WHERE id = ${started.paymentId}`,
    );
    expect(await kinds()).toEqual([
      "payments:collected_not_posted",
      "payments:collected_without_callback",
    ]);
  });

  it("is for administrators: the router runs it and lists runs", async () => {
    await realisticMoney();
    const admin = await createUser("admin");
    const caller = callerFor(sessionOf(admin));
    const run = await caller.reconciliation.run();
    expect(run).toMatchObject({ mismatchCount: 0, trigger: "admin", triggeredBy: admin.id });
    expect((await caller.reconciliation.recent())[0]!.id).toBe(run.id);
    const student = await createUser("student");
    const refused = callerFor(sessionOf(student));
    await expect(refused.reconciliation.run()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
