/**
 * A payment order's life (issue 6): how money is collected, apart from what it pays for.
 *
 *   created → pending (sent to a gateway) → succeeded | failed | expired
 *   created → succeeded (paid from the wallet alone, in the same transaction)
 *   failed | expired → succeeded (the gateway's word that money moved overrides our timeout or
 *     an earlier decline: the money is applied, or goes to the wallet when the orders are gone)
 *   succeeded | partially_refunded → partially_refunded | refunded
 *
 * Every change goes through `nextPaymentStatus` and a version compare-and-set, like orders.
 */
export const PAYMENT_STATUSES = [
  "created",
  "pending",
  "succeeded",
  "failed",
  "expired",
  "partially_refunded",
  "refunded",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_EVENTS = [
  "submit",
  "succeed",
  "fail",
  "expire",
  "refundPartially",
  "refund",
] as const;
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

const TABLE: Record<PaymentEvent, Partial<Record<PaymentStatus, PaymentStatus>>> = {
  submit: { created: "pending" },
  succeed: {
    created: "succeeded",
    pending: "succeeded",
    failed: "succeeded",
    expired: "succeeded",
  },
  fail: { created: "failed", pending: "failed" },
  expire: { created: "expired", pending: "expired" },
  refundPartially: { succeeded: "partially_refunded", partially_refunded: "partially_refunded" },
  refund: { succeeded: "refunded", partially_refunded: "refunded" },
};

/** The status after `event`, or null when the event is not allowed in `status`. */
export function nextPaymentStatus(
  status: PaymentStatus,
  event: PaymentEvent,
): PaymentStatus | null {
  return TABLE[event][status] ?? null;
}

export function isFinalPaymentStatus(status: PaymentStatus): boolean {
  return PAYMENT_EVENTS.every((event) => nextPaymentStatus(status, event) === null);
}
