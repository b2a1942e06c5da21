import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { type Database, getDb } from "../db/client";
import { refunds } from "../db/schema";
import { platformAccount } from "../server/ledger/ledgerAccounts";
import { receiveWebhook } from "../server/payment/receiveWebhook";
import { newSandboxTransactionId } from "../server/payment/sandboxDelivery";
import { startPayment } from "../server/payment/startPayment";
import { newOrderId, placeOrder } from "../server/trade/placeOrder";
import { createUser } from "./fixtures";
import { fundWallet, orderRow, sandboxCallback } from "./paymentFixtures";
import { createSellingTeacher } from "./tradeFixtures";

export type Seller = Awaited<ReturnType<typeof createSellingTeacher>>;

/**
 * A student's package of `hours` hours (30.00/h) paid for real: from the wallet after a
 * top-up, through the sandbox gateway (its success event applied), or mixed with
 * `walletPart` from the wallet and the rest through the gateway.
 */
export async function paidPackage(
  method: "wallet" | "gateway" | "mixed",
  options: { seller?: Seller; hours?: number; walletPart?: number; db?: Database } = {},
) {
  const db = options.db ?? getDb();
  const seller = options.seller ?? (await createSellingTeacher());
  const hours = options.hours ?? 10;
  const student = await createUser("student", "Rhea Refund");
  const placed = await placeOrder(db, student.id, {
    orderId: newOrderId(),
    teacherId: seller.teacher.id,
    courseId: seller.courseId,
    purchase: { kind: "package", hours },
  });
  const price = placed.order.payableAmount;
  if (method === "wallet") await fundWallet(student.id, price);
  if (method === "mixed") await fundWallet(student.id, options.walletPart ?? 1000);
  const started = await startPayment(db, student.id, {
    idempotencyKey: randomUUID(),
    orderIds: [placed.order.id],
    method,
    appUrl: "",
  });
  if (method !== "wallet") {
    // Through the webhook's entry point, so the callback is stored as a real one is.
    const callback = sandboxCallback({
      type: "payment.succeeded",
      paymentId: started.paymentId,
      transactionId: newSandboxTransactionId(),
      amount: started.fromGateway,
      currency: started.currency,
    });
    const applied = await receiveWebhook(db, "sandbox", callback.raw, callback.headers);
    if (applied.outcome !== "applied") throw new Error(`payment not applied: ${applied.outcome}`);
  }
  const order = await orderRow(placed.order.id, db);
  if (order.status !== "paid") throw new Error(`order is ${order.status}`);
  return { seller, student, order, paymentId: started.paymentId };
}

export async function refundRow(refundId: string, db: Database = getDb()) {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, refundId));
  return row!;
}

export async function refundsOfOrder(orderId: string, db: Database = getDb()) {
  return db.select().from(refunds).where(eq(refunds.orderId, orderId));
}

export const platformBalance = async (
  kind: "gateway_clearing" | "prepaid_lessons" | "refunds_payable",
  db: Database = getDb(),
) => (await platformAccount(db, kind, "USD")).balance;
