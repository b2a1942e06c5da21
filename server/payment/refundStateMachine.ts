/**
 * A refund's life (issue 6): unused hours of one paid order going back to the student, to the
 * method that paid for them (wallet at once; the gateway part through the provider's refund).
 *
 *   requested → processing (approved: the ledger moved; a gateway part is being sent)
 *   requested → declined (by an admin, with a reason)
 *   processing → succeeded (the gateway confirmed, or there was no gateway part)
 *
 * A refund approved on the spot (a teacher's refund, the cooling-off rule) starts at
 * `requested` and moves on in the same transaction. Every change goes through
 * `nextRefundStatus` and a version compare-and-set, like orders and payments.
 */
export const REFUND_STATUSES = ["requested", "declined", "processing", "succeeded"] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const REFUND_EVENTS = ["approve", "decline", "complete"] as const;
export type RefundEvent = (typeof REFUND_EVENTS)[number];

const TABLE: Record<RefundEvent, Partial<Record<RefundStatus, RefundStatus>>> = {
  approve: { requested: "processing" },
  decline: { requested: "declined" },
  complete: { processing: "succeeded" },
};

/** The status after `event`, or null when the event is not allowed in `status`. */
export function nextRefundStatus(status: RefundStatus, event: RefundEvent): RefundStatus | null {
  return TABLE[event][status] ?? null;
}

/** Refunds still under way: at most one per order (a partial unique index). */
export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = ["requested", "processing"];
