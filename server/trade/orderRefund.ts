import { and, count, eq, inArray } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { lessons } from "../../db/schema";
import { DomainError } from "../domainError";
import { releaseOrderOffers } from "../marketing/orderOfferLifecycle";
import { type OrderRow, slotsLeft, updateOrder } from "./orderRecords";
import { describeOrderStatus } from "./orderStateMachine";

/**
 * Trade's side of a refund of unused hours (issue 6, item 7): which orders may be refunded
 * and how the order moves. It knows nothing of money or gateways; server/payment/ decides
 * how much goes back where, in the same transaction.
 *
 *   paid | active → refund_requested (not bookable while it waits)
 *   refund_requested → refunded (nothing was used) | partially_refunded
 *   refund_requested → paid | active (declined: back to where it was)
 */

/**
 * Checks that the locked order's unused hours can be refunded — paid or in use, no live
 * lessons (their time is not unused yet), some hours left — and moves it to
 * refund_requested, so nothing can be booked against it while the refund is decided.
 */
export async function requestOrderRefund(tx: Transaction, order: OrderRow): Promise<OrderRow> {
  if (order.status !== "paid" && order.status !== "active") {
    throw new DomainError(
      "conflict",
      order.status === "refund_requested"
        ? "A refund of this order has already been requested"
        : `This order is ${describeOrderStatus(order.status)}: only a paid order's unused hours can be refunded`,
      "orderId",
    );
  }
  const [live] = await tx
    .select({ n: count() })
    .from(lessons)
    .where(and(eq(lessons.orderId, order.id), inArray(lessons.status, ["held", "booked"])));
  const booked = live?.n ?? 0;
  if (booked > 0 || order.slotsBooked > 0) {
    throw new DomainError(
      "conflict",
      `This order has ${booked} booked ${booked === 1 ? "lesson" : "lessons"}: cancel ${booked === 1 ? "it" : "them"} first, then ask for the refund of the unused hours`,
      "orderId",
    );
  }
  if (slotsLeft(order) <= 0) {
    throw new DomainError("conflict", "This order has no unused hours left", "orderId");
  }
  return updateOrder(tx, order, { event: "requestRefund" });
}

/**
 * The refund was approved: refunded when nothing was used, partially refunded otherwise. A
 * full refund before any hour was used gives the order's coupon and promotion stock back; a
 * partial one keeps them used (the discount went into the hours taken).
 */
export async function completeOrderRefund(tx: Transaction, order: OrderRow, now: Date) {
  const nothingUsed = order.slotsUsed === 0;
  const refunded = await updateOrder(tx, order, {
    event: nothingUsed ? "refund" : "refundPartially",
    set: { closedAt: now },
  });
  if (nothingUsed) await releaseOrderOffers(tx, order.id, now);
  return refunded;
}

/** The refund was declined: the order is bookable again, as it was. */
export function returnOrderFromRefund(tx: Transaction, order: OrderRow) {
  return updateOrder(tx, order, {
    event: order.slotsUsed === 0 ? "declineRefundUnused" : "declineRefundUsed",
  });
}
