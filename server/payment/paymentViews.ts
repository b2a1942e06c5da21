import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { payments } from "../../db/schema";
import { DomainError } from "../domainError";
import { isSnowflakeId } from "../ids/snowflake";
import { paymentItemsOf } from "./paymentRecords";

/**
 * A payer's payment with its items: status, amounts, and for each order whether it was paid
 * or its money went back to the wallet, and why. Someone else's payment is not found.
 */
export async function getPayment(db: Executor, payerId: string, paymentId: string) {
  const [payment] = isSnowflakeId(paymentId)
    ? await db
        .select()
        .from(payments)
        .where(and(eq(payments.id, paymentId), eq(payments.payerId, payerId)))
        .limit(1)
    : [];
  if (!payment) throw new DomainError("not_found", "No such payment", "paymentId");
  const items = await paymentItemsOf(db, payment.id);
  return {
    id: payment.id,
    purpose: payment.purpose,
    status: payment.status,
    method: payment.method,
    currency: payment.currency,
    itemsTotal: payment.itemsTotal,
    discount: payment.discount,
    amount: payment.amount,
    fromWallet: payment.fromWallet,
    fromGateway: payment.fromGateway,
    refundedAmount: payment.refundedAmount,
    failureReason: payment.failureReason,
    redirectUrl: payment.status === "pending" ? payment.checkoutUrl : null,
    createdAt: payment.createdAt,
    expiresAt: payment.expiresAt,
    succeededAt: payment.succeededAt,
    items: items.map((i) => ({
      orderId: i.orderId,
      amount: i.amount,
      outcome: i.outcome,
      note: i.note,
    })),
  };
}
