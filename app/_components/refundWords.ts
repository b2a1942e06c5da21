import type { RefundStatus } from "../../server/payment/refundStateMachine";
import { formatMoney } from "./format";
import { formatHours } from "./orderWords";

/** A refund's status in words, as the back office reads it. */
export const REFUND_STATUS_WORDS: Record<RefundStatus, string> = {
  requested: "waiting for a decision",
  declined: "declined",
  processing: "approved, sending to the card",
  succeeded: "refunded",
};

interface RefundFacts {
  status: RefundStatus;
  slots: number;
  amount: number;
  toWallet: number;
  toGateway: number;
  currency: string;
  declineReason: string | null;
}

/** Where the money went (or goes): "A$ to your wallet and B$ back to your card". */
export function refundDestination(refund: RefundFacts, whose: "your" | "the student's"): string {
  const money = (minor: number) => formatMoney(minor, refund.currency);
  const parts = [
    refund.toWallet > 0 && `${money(refund.toWallet)} to ${whose} wallet`,
    refund.toGateway > 0 && `${money(refund.toGateway)} back to ${whose} card`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" and ") : "nothing (the hours were free)";
}

/** One sentence on a refund, for the order's student or teacher. */
export function describeRefund(refund: RefundFacts, viewer: "student" | "teacher"): string {
  const whose = viewer === "student" ? "your" : "the student's";
  const what = `${formatHours(refund.slots)} (${formatMoney(refund.amount, refund.currency)})`;
  switch (refund.status) {
    case "requested":
      return viewer === "student"
        ? `You asked for a refund of ${what}. Halfhour support will decide soon; until then this order cannot be booked.`
        : `The student asked for a refund of ${what}; Halfhour support decides.`;
    case "declined":
      return `The refund request for ${what} was declined: ${refund.declineReason ?? "no reason given"}.`;
    case "processing":
      return `Refund of ${what} approved: ${refundDestination(refund, whose)}. The card part is on its way.`;
    case "succeeded":
      return `Refunded ${what}: ${refundDestination(refund, whose)}.`;
  }
}
