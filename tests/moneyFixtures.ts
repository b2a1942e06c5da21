import { eq } from "drizzle-orm";
import { type Database, getDb } from "../db/client";
import { orders } from "../db/schema";
import { fundWalletThroughSandbox } from "../server/payment/sandboxFunding";
import { startPayment } from "../server/payment/startPayment";
import type { OrderRow } from "../server/trade/orderRecords";

/** Puts `amount` into a student's wallet through a real sandbox top-up (payment + callback). */
export async function fundWallet(
  studentId: string,
  amount: number,
  currency = "USD",
  db: Database = getDb(),
  now = new Date(),
) {
  return fundWalletThroughSandbox(db, studentId, amount, currency, now);
}

/**
 * Pays an order the way a student does: a top-up of exactly its price through the sandbox,
 * then a wallet payment of the order (startPayment), so the ledger, the payment records and
 * the gateway callbacks all hold what a real purchase leaves behind.
 */
export async function markOrderPaid(
  orderId: string,
  db: Database = getDb(),
  now = new Date(),
): Promise<OrderRow> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new Error(`no order ${orderId}`);
  if (order.payableAmount > 0) {
    await fundWallet(order.studentId, order.payableAmount, order.currency, db, now);
  }
  const payment = await startPayment(
    db,
    order.studentId,
    {
      idempotencyKey: `fixture-${orderId}-${now.getTime()}`,
      orderIds: [orderId],
      method: "wallet",
      appUrl: "",
    },
    now,
  );
  if (payment.status !== "succeeded")
    throw new Error(`order ${orderId}: payment ${payment.status}`);
  const [paid] = await db.select().from(orders).where(eq(orders.id, orderId));
  return paid!;
}
