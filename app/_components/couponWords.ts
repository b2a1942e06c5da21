import { formatMoney } from "./format";

/** The discount facts the coupons router sends (server/marketing/couponViews.ts DiscountFacts). */
export interface DiscountFacts {
  kind: "amount_off" | "percent_off" | "free_trial";
  amountOff: number | null;
  percentBps: number | null;
  cap: number | null;
  currency: string;
  minOrderAmount: number;
}

/** "5.00 off", "20% off (up to $15.00)", "A free trial lesson", plus any minimum order. */
export function discountWords(d: DiscountFacts): string {
  let words: string;
  if (d.kind === "amount_off") words = `${formatMoney(d.amountOff ?? 0, d.currency)} off`;
  else if (d.kind === "percent_off") {
    words = `${(d.percentBps ?? 0) / 100}% off`;
    if (d.cap !== null) words += ` (up to ${formatMoney(d.cap, d.currency)})`;
  } else words = "A free trial lesson (up to an hour)";
  if (d.minOrderAmount > 0)
    words += ` on orders of ${formatMoney(d.minOrderAmount, d.currency)} or more`;
  return words;
}

export const dateWords = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(at);

/** A fresh request key: one per claim attempt the student makes, reused when it is retried. */
export const newRequestKey = () =>
  `claim-${Math.random().toString(36).slice(2, 12).padEnd(10, "0")}${Date.now().toString(36)}`;
