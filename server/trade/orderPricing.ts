/** What a student buys: one lesson of its own length, or a package of whole hours. */
export type Purchase = { kind: "lesson"; slots: number } | { kind: "package"; hours: number };

/** Package sizes the studio offers; 1 in a course's list means single lessons are sold. */
export const SINGLE_LESSON_HOURS = 1;

export function slotsOfPurchase(purchase: Purchase): number {
  return purchase.kind === "lesson" ? purchase.slots : purchase.hours * 2;
}

export interface OrderAmounts {
  listAmount: number;
  discountAmount: number;
  payableAmount: number;
}

/**
 * Integer minor units throughout. A half hour costs half the hourly price, rounded to the
 * nearest minor unit once for the whole order (never per slot, so 3 half hours of 25.01 are
 * 37.52, not 37.51 or 37.53 by accumulation). The discount line is where coupons and
 * promotions will apply (marketing); it can never exceed the list price.
 */
export function priceOrder(pricePerHour: number, slots: number, discount = 0): OrderAmounts {
  if (!Number.isInteger(pricePerHour) || pricePerHour <= 0) {
    throw new RangeError(`price per hour must be a positive integer, got ${pricePerHour}`);
  }
  if (!Number.isInteger(slots) || slots < 1) {
    throw new RangeError(`slots must be a positive integer, got ${slots}`);
  }
  if (Number.isNaN(discount)) throw new RangeError("discount must be a number, got NaN");
  const listAmount = Math.round((pricePerHour * slots) / 2);
  const discountAmount = Math.min(Math.max(0, Math.trunc(discount)), listAmount);
  return { listAmount, discountAmount, payableAmount: listAmount - discountAmount };
}
