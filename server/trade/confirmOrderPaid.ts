import { and, eq } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { lessons } from "../../db/schema";
import { DomainError } from "../domainError";
import { redeemOrderOffers } from "../marketing/orderOfferLifecycle";
import { updateLesson } from "./lessonRecords";
import { lockOrder, type OrderRow, updateOrder } from "./orderRecords";
import { describeOrderStatus } from "./orderStateMachine";

/**
 * Trade's side of a successful payment, inside the payment's transaction: the order becomes
 * paid and its held lessons booked. A payment arriving after the hold lapsed but before
 * anyone released it still finds the slots reserved for this order, so it is honoured; once
 * the order has expired the caller gets a conflict and refunds (payments decide how).
 * `paidAmount` is what the order received (its share of the payment after any payment-level
 * discount; by default its payable amount): lessons settle and refunds return out of it.
 */
export async function confirmOrderPaid(
  tx: Transaction,
  orderId: string,
  now: Date,
  paidAmount?: number,
): Promise<OrderRow> {
  const order = await lockOrder(tx, orderId);
  if (!order) throw new DomainError("not_found", "No such order", "orderId");
  if (order.status !== "pending_payment") {
    throw new DomainError(
      "conflict",
      `This order is ${describeOrderStatus(order.status)}`,
      "orderId",
    );
  }
  const held = await tx
    .select()
    .from(lessons)
    .where(and(eq(lessons.orderId, orderId), eq(lessons.status, "held")))
    .for("update");
  for (const lesson of held) await updateLesson(tx, lesson, "confirm");
  const paid = paidAmount ?? order.payableAmount;
  if (!Number.isSafeInteger(paid) || paid < 0 || paid > order.payableAmount) {
    throw new RangeError(`order ${orderId} cannot be paid ${paid} of ${order.payableAmount}`);
  }
  const confirmed = await updateOrder(tx, order, {
    event: "pay",
    set: { paidAt: now, paidAmount: paid },
  });
  // Its coupon is used and its promotion stock consumed — once, as the order is paid once.
  await redeemOrderOffers(tx, orderId, now);
  return confirmed;
}
