import { unusedValue } from "../settlement/lessonValue";

/**
 * The money rules of a refund of unused hours, pure (issue 6, item 7).
 *
 * - Amount: what the order's unused half hours are worth out of what it was paid
 *   (lessonValue.unusedValue), so the lessons already settled plus the refund add up to
 *   exactly the order's payment; slots: bought − used.
 * - Original method, gateway part first: the refund goes back through the gateway up to what
 *   that payment took there and earlier refunds of it have not yet returned; the rest (the
 *   wallet part of a mixed payment, everything of a wallet payment) goes to the wallet.
 * - Cooling-off: a student's request of an untouched order paid within the window is
 *   approved at once (the cancellation policy); otherwise an administrator decides.
 */
export interface RefundableOrder {
  /** What the order was paid; older orders without it were paid their payable amount. */
  paidAmount: number | null;
  payableAmount: number;
  slotsBought: number;
  slotsUsed: number;
}

export function refundQuote(order: RefundableOrder): { slots: number; amount: number } {
  const paid = order.paidAmount ?? order.payableAmount;
  return {
    slots: order.slotsBought - order.slotsUsed,
    amount: unusedValue({ paid, bought: order.slotsBought, used: order.slotsUsed }),
  };
}

/**
 * Splits `amount` over the methods of the paying payment: back to the gateway first, as far
 * as its gateway part not yet returned by earlier refunds goes, the rest to the wallet.
 */
export function splitRefund(input: {
  amount: number;
  fromGateway: number;
  gatewayRefundedBefore: number;
}): { toGateway: number; toWallet: number } {
  const { amount, fromGateway, gatewayRefundedBefore } = input;
  for (const [name, value] of Object.entries(input)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`bad ${name} ${value}`);
  }
  const gatewayLeft = Math.max(0, fromGateway - gatewayRefundedBefore);
  const toGateway = Math.min(amount, gatewayLeft);
  return { toGateway, toWallet: amount - toGateway };
}

/** Whether a student's request is approved without waiting for an administrator. */
export function withinCoolingOff(
  order: { slotsUsed: number; paidAt: Date | null },
  now: Date,
  days: number,
): boolean {
  if (days <= 0 || order.slotsUsed > 0 || !order.paidAt) return false;
  return now.getTime() - order.paidAt.getTime() <= days * 86_400_000;
}

/**
 * When the sweep tries a failed gateway refund again: after 1, 2, 5, 15 minutes, then 1, 3,
 * 6, 12 and 24 hours from approval; after the last it stays processing with its error for an
 * administrator to see.
 */
const RETRY_AFTER_MINUTES = [1, 2, 5, 15, 60, 180, 360, 720, 1440] as const;
export const MAX_GATEWAY_REFUND_ATTEMPTS = RETRY_AFTER_MINUTES.length + 1;

export function gatewayRefundDue(
  refund: { attempts: number; decidedAt: Date | null },
  now: Date,
): boolean {
  if (refund.attempts >= MAX_GATEWAY_REFUND_ATTEMPTS) return false;
  const wait = RETRY_AFTER_MINUTES[Math.max(0, refund.attempts - 1)] ?? 0;
  const from = refund.decidedAt?.getTime() ?? 0;
  return now.getTime() >= from + wait * 60_000;
}

/** The cooling-off window in days (HALFHOUR_REFUND_COOLING_OFF_DAYS, default 7; 0 turns it off). */
export function refundCoolingOffDays(): number {
  const raw = process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS;
  if (raw === undefined || raw === "") return 7;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0 || days > 365) {
    throw new Error(
      `HALFHOUR_REFUND_COOLING_OFF_DAYS must be a number from 0 to 365, got "${raw}"`,
    );
  }
  return days;
}
