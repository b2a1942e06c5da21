import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../app/api/payments/[provider]/webhook/route";
import { connectPostgres, type DatabaseHandle, getDb, queryRows } from "../../db/client";
import { ledgerTransactions, paymentApplications } from "../../db/schema";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { startPayment } from "../../server/payment/startPayment";
import {
  callbacksOf,
  heldLesson,
  lessonRow,
  orderRow,
  paymentRow,
  sandboxCallback,
  sellerWithTime,
} from "../paymentFixtures";

/**
 * A callback storm through the route handler itself, with real Request objects: the app's
 * database pool is swapped for one of 60 connections (max_connections is 100), so up to 60
 * deliveries hold a transaction at once and the rest queue behind them.
 */
const POOL = 60;
const DELIVERIES = 100;
const holder = globalThis as unknown as { halfhourDatabase?: DatabaseHandle };

beforeAll(async () => {
  await holder.halfhourDatabase?.close();
  holder.halfhourDatabase = connectPostgres(process.env.DATABASE_URL!, POOL);
});
afterAll(async () => {
  await holder.halfhourDatabase?.close();
  holder.halfhourDatabase = undefined;
});

async function pendingPayment() {
  const { seller, start } = await sellerWithTime();
  const held = await heldLesson(seller, start);
  const started = await startPayment(getDb(), held.student.id, {
    idempotencyKey: randomUUID(),
    orderIds: [held.order.id],
    method: "gateway",
    appUrl: "",
  });
  return { ...held, started };
}

function deliver(raw: string, headers: Headers) {
  const request = new Request("http://127.0.0.1/api/payments/sandbox/webhook", {
    method: "POST",
    headers,
    body: raw,
  });
  return POST(request, { params: Promise.resolve({ provider: "sandbox" }) });
}

async function postingsOf(paymentId: string) {
  return getDb()
    .select()
    .from(ledgerTransactions)
    .where(eq(ledgerTransactions.referenceId, paymentId));
}

describe("payment callback storms", () => {
  it(`${DELIVERIES} concurrent deliveries of one success: applied once, one set of ledger entries`, async () => {
    const { order, lesson, started } = await pendingPayment();
    const callback = sandboxCallback({
      type: "payment.succeeded",
      paymentId: started.paymentId,
      transactionId: newSandboxTransactionId(),
      amount: 3000,
      currency: "USD",
    });

    const responses = await Promise.all(
      Array.from({ length: DELIVERIES }, () => deliver(callback.raw, callback.headers)),
    );
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const outcomes = bodies.map((b: { outcome: string }) => b.outcome);
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(DELIVERIES - 1);

    const db = getDb();
    expect(
      await db
        .select()
        .from(paymentApplications)
        .where(eq(paymentApplications.paymentId, started.paymentId)),
    ).toHaveLength(1);
    const postings = await postingsOf(started.paymentId);
    expect(postings.map((p) => `${p.referenceKind}/${p.purpose}`)).toEqual(["payment/capture"]);
    const [entries] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM ledger_entries WHERE transaction_id = ${postings[0]!.id}`,
    );
    expect(entries!.n).toBe(2);
    expect(await paymentRow(started.paymentId)).toMatchObject({ status: "succeeded", version: 3 });
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", version: 2 });
    expect((await lessonRow(lesson.id)).status).toBe("booked");
    expect(await callbacksOf(started.paymentId)).toHaveLength(DELIVERIES);
    expect(await reconcileLedger(db)).toEqual([]);
  });

  it(`${DELIVERIES} concurrent successes under different transaction ids: the payment succeeds once`, async () => {
    const { order, started } = await pendingPayment();
    const callbacks = Array.from({ length: DELIVERIES }, () =>
      sandboxCallback({
        type: "payment.succeeded",
        paymentId: started.paymentId,
        transactionId: newSandboxTransactionId(),
        amount: 3000,
        currency: "USD",
      }),
    );
    const responses = await Promise.all(callbacks.map((c) => deliver(c.raw, c.headers)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(DELIVERIES - 1);
    expect(await postingsOf(started.paymentId)).toHaveLength(1);
    expect((await orderRow(order.id)).status).toBe("paid");
    expect(await reconcileLedger(getDb())).toEqual([]);
  });
});
