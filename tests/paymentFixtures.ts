import { eq, sql } from "drizzle-orm";
import { type Database, getDb, queryRows } from "../db/client";
import { lessons, orders, paymentItems, payments } from "../db/schema";
import { walletAccount } from "../server/ledger/ledgerAccounts";
import { SANDBOX_SIGNATURE_HEADER, signSandboxCallback } from "../server/payment/sandboxGateway";
import { newOrderId, placeOrder } from "../server/trade/placeOrder";
import { createUser } from "./fixtures";
import { fundWallet } from "./moneyFixtures";

export { fundWallet };

import { createSellingTeacher, publish, slotFromNow } from "./tradeFixtures";

export type Seller = Awaited<ReturnType<typeof createSellingTeacher>>;

/** A selling teacher (30.00/h, USD) with `slots` half hours published from `start`. */
export async function sellerWithTime(start = slotFromNow(48), slots = 4) {
  const seller = await createSellingTeacher();
  await publish(seller.teacher.id, { start, slots });
  return { seller, start };
}

/** A student's unpaid "book now" order of one hour at `start` (3000 minor units). */
export async function heldLesson(
  seller: Seller,
  start: Date,
  student?: Awaited<ReturnType<typeof createUser>>,
  now = new Date(),
  db: Database = getDb(),
) {
  const buyer = student ?? (await createUser("student", "Pat Payer"));
  const placed = await placeOrder(
    db,
    buyer.id,
    {
      orderId: newOrderId(),
      teacherId: seller.teacher.id,
      courseId: seller.courseId,
      purchase: { kind: "lesson", slots: 2 },
      lesson: { start, slots: 2 },
    },
    now,
  );
  return { student: buyer, order: placed.order, lesson: placed.lesson! };
}

export async function walletBalance(studentId: string, currency = "USD") {
  return (await walletAccount(getDb(), studentId, currency)).balance;
}

/** A signed sandbox callback as the webhook receives it. */
export function sandboxCallback(
  body: Parameters<typeof signSandboxCallback>[0],
  at = new Date(),
  secret?: string,
) {
  const signed = signSandboxCallback(body, at, secret);
  return {
    raw: signed.raw,
    headers: new Headers({
      "content-type": "application/json",
      [SANDBOX_SIGNATURE_HEADER]: signed.signature,
    }),
  };
}

export async function paymentRow(paymentId: string, db: Database = getDb()) {
  const [row] = await db.select().from(payments).where(eq(payments.id, paymentId));
  return row!;
}

export async function itemsOf(paymentId: string, db: Database = getDb()) {
  return db.select().from(paymentItems).where(eq(paymentItems.paymentId, paymentId));
}

export async function orderRow(orderId: string, db: Database = getDb()) {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId));
  return row!;
}

export async function lessonRow(lessonId: string, db: Database = getDb()) {
  const [row] = await db.select().from(lessons).where(eq(lessons.id, lessonId));
  return row!;
}

/** Counts of everything money or payments write, to prove a call changed nothing. */
export async function moneyState(db: Database = getDb()) {
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT (SELECT count(*) FROM ledger_entries)::int AS entries,
               (SELECT count(*) FROM ledger_transactions)::int AS postings,
               (SELECT count(*) FROM payment_applications)::int AS applications,
               (SELECT coalesce(sum(version), 0) FROM payments)::int AS payment_versions,
               (SELECT coalesce(sum(version), 0) FROM orders)::int AS order_versions,
               (SELECT coalesce(sum(version), 0) FROM lessons)::int AS lesson_versions,
               (SELECT coalesce(sum(version), 0) FROM ledger_accounts)::int AS account_versions`,
  );
  return row!;
}

/** The stored callbacks of one payment (or of none), oldest first. */
export async function callbacksOf(paymentId: string | null, db: Database = getDb()) {
  const rows = await queryRows<{
    outcome: string;
    reason: string | null;
    payment_id: string | null;
  }>(
    db,
    paymentId
      ? sql`SELECT outcome, reason, payment_id::text AS payment_id FROM gateway_callbacks WHERE payment_id = ${paymentId} ORDER BY id`
      : sql`SELECT outcome, reason, payment_id::text AS payment_id FROM gateway_callbacks WHERE payment_id IS NULL ORDER BY id`,
  );
  return rows;
}
