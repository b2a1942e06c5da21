/**
 * The order state machine (seeds 001, 004). Every status change of an order goes through
 * `nextOrderStatus` and then through one `UPDATE … WHERE id = ? AND version = ?`
 * (transitionOrder.ts), so a stale writer can never move an order twice or backwards.
 *
 *   pending_payment → paid → active → completed
 *   pending_payment → expired | cancelled
 *   paid | active → refund_requested → refunded | partially_refunded
 *   refund_requested → paid | active (the request was declined: back to where it was)
 *
 * `paid`: money received, nothing consumed yet. `active`: some time consumed (a lesson took
 * place or was forfeited), so a full refund is no longer due. `completed`: all time used.
 */
export const ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "active",
  "completed",
  "expired",
  "cancelled",
  "refund_requested",
  "refunded",
  "partially_refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = [
  "pay",
  "expire",
  "cancel",
  "activate",
  "complete",
  "requestRefund",
  "refund",
  "refundPartially",
  "declineRefundUnused",
  "declineRefundUsed",
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

const TABLE: Record<OrderEvent, Partial<Record<OrderStatus, OrderStatus>>> = {
  pay: { pending_payment: "paid" },
  expire: { pending_payment: "expired" },
  cancel: { pending_payment: "cancelled" },
  activate: { paid: "active" },
  complete: { active: "completed" },
  requestRefund: { paid: "refund_requested", active: "refund_requested" },
  refund: { refund_requested: "refunded" },
  refundPartially: { refund_requested: "partially_refunded" },
  // A declined request returns the order to what it was: paid if nothing was used yet.
  declineRefundUnused: { refund_requested: "paid" },
  declineRefundUsed: { refund_requested: "active" },
};

/** The status after `event`, or null when the event is not allowed in `status`. */
export function nextOrderStatus(status: OrderStatus, event: OrderEvent): OrderStatus | null {
  return TABLE[event][status] ?? null;
}

/** Orders whose unbooked time a student may book lessons against. */
export const BOOKABLE_ORDER_STATUSES: readonly OrderStatus[] = ["paid", "active"];

/** Final states: no event leads anywhere from them. */
export function isFinalOrderStatus(status: OrderStatus): boolean {
  return ORDER_EVENTS.every((event) => nextOrderStatus(status, event) === null);
}

/** An order's status in words: the server's messages and the pages say the same. */
export const ORDER_STATUS_WORDS: Record<OrderStatus, string> = {
  pending_payment: "awaiting payment",
  paid: "paid",
  active: "in use",
  completed: "completed",
  expired: "expired",
  cancelled: "cancelled",
  refund_requested: "waiting for a refund",
  refunded: "refunded",
  partially_refunded: "partially refunded",
};

export const describeOrderStatus = (status: OrderStatus) => ORDER_STATUS_WORDS[status];
