import { and, eq } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { paymentItems, payments, refunds } from "../../db/schema";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import { requestOrderRefund } from "../trade/orderRefund";
import { lockOrderOf } from "../trade/tradeAccess";
import { tradeTransaction } from "../trade/tradeTransaction";
import { approveInTransaction, gatewayRefundedBefore } from "./decideRefund";
import type { RefundRow } from "./refundRecords";
import { refundCoolingOffDays, refundQuote, splitRefund, withinCoolingOff } from "./refundRules";
import { enabledGateway, type GatewayLookup, sendGatewayRefund } from "./sendGatewayRefund";

/** Who asks: the order's student, or its teacher refunding at once. */
export type RefundRequester =
  | { role: "student"; userId: string }
  | { role: "teacher"; teacherId: string; userId: string };

/** The payment that paid an order: the one whose item for it has the outcome `paid`. */
async function payingPayment(tx: Transaction, orderId: string) {
  const [row] = await tx
    .select({ payment: payments })
    .from(paymentItems)
    .innerJoin(payments, eq(payments.id, paymentItems.paymentId))
    .where(and(eq(paymentItems.orderId, orderId), eq(paymentItems.outcome, "paid")))
    .limit(1);
  return row?.payment ?? null;
}

function cleanReason(requester: RefundRequester, reason: string | undefined): string | null {
  const text = reason?.trim() ?? "";
  if (text.length > 500) {
    throw new DomainError("invalid", "Keep the reason under 500 characters", "reason");
  }
  if (requester.role === "teacher" && text.length < 3) {
    throw new DomainError("invalid", "Tell the student why the hours are refunded", "reason");
  }
  return text || null;
}

/**
 * A refund of an order's unused hours (issue 6, item 7), in one transaction: the order is
 * locked (concurrent requests for it queue here; the loser finds it refund_requested), trade
 * checks it can be refunded and moves it to refund_requested, and the refund is recorded
 * with its amount (refundRules.refundQuote) and the payment that paid the order. A teacher's
 * refund, or a student's request the cooling-off rule covers (nothing used, paid within
 * HALFHOUR_REFUND_COOLING_OFF_DAYS), is approved in the same transaction; any other request
 * waits for an administrator. A gateway part is sent after the commit.
 */
export async function requestRefund(
  db: Database,
  requester: RefundRequester,
  input: { orderId: string; reason?: string },
  now = new Date(),
  gateways: GatewayLookup = enabledGateway,
): Promise<RefundRow> {
  const reason = cleanReason(requester, input.reason);
  const refund = await tradeTransaction(db, async (tx) => {
    const order = await lockOrderOf(
      tx,
      input.orderId,
      requester.role === "student"
        ? { studentId: requester.userId }
        : { teacherId: requester.teacherId },
    );
    const requested = await requestOrderRefund(tx, order);
    const payment = await payingPayment(tx, order.id);
    if (!payment) {
      throw new DomainError(
        "conflict",
        "There is no payment on record for this order to refund; contact support",
        "orderId",
      );
    }
    const { slots, amount } = refundQuote(order);
    const id = newId();
    // Provisional: the split is decided again under the payment's lock when approved.
    const split = splitRefund({
      amount,
      fromGateway: payment.fromGateway,
      gatewayRefundedBefore: await gatewayRefundedBefore(tx, payment.id, id),
    });
    const [created] = await tx
      .insert(refunds)
      .values({
        id,
        orderId: order.id,
        paymentId: payment.id,
        studentId: order.studentId,
        currency: order.currency,
        slots,
        amount,
        ...split,
        requestedBy: requester.role,
        reason,
        createdAt: now,
      })
      // The partial unique index (one live refund per order) backs up the order's lock.
      .onConflictDoNothing()
      .returning();
    if (!created) {
      throw new DomainError(
        "conflict",
        "A refund of this order has already been requested",
        "orderId",
      );
    }
    const atOnce =
      requester.role === "teacher" || withinCoolingOff(order, now, refundCoolingOffDays());
    if (!atOnce) return created;
    return approveInTransaction(
      tx,
      created,
      requested,
      requester.role === "teacher" ? requester.userId : null,
      now,
    );
  });
  return sendGatewayRefund(db, refund.id, now, gateways);
}
