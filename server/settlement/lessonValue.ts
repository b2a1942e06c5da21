/**
 * What consumed or unused time of an order is worth, pure. An order paid `paid` minor units
 * for `bought` half hours; the first n half hours consumed are worth floor(paid × n / bought).
 * A lesson consuming `slots` after `usedBefore` is worth the difference, so the values of all
 * its lessons add up to exactly what was paid (no cent lost to rounding), and what is left
 * after `used` half hours — the refund of the unused ones — is paid − value(used).
 */
export function valueOfFirstSlots(paid: number, bought: number, slots: number): number {
  if (!Number.isSafeInteger(paid) || paid < 0) throw new RangeError(`bad paid amount ${paid}`);
  if (!Number.isSafeInteger(bought) || bought <= 0) throw new RangeError(`bad slots ${bought}`);
  if (!Number.isSafeInteger(slots) || slots < 0 || slots > bought) {
    throw new RangeError(`bad slot count ${slots} of ${bought}`);
  }
  // paid < 2^31 and bought ≤ 200, so the product stays far inside the safe integers.
  return Math.floor((paid * slots) / bought);
}

/** The worth of `slots` half hours consumed after `usedBefore` were. */
export function lessonValue(
  order: { paid: number; bought: number; usedBefore: number },
  slots: number,
): number {
  return (
    valueOfFirstSlots(order.paid, order.bought, order.usedBefore + slots) -
    valueOfFirstSlots(order.paid, order.bought, order.usedBefore)
  );
}

/** What the unused half hours of an order are worth after `used` were consumed. */
export function unusedValue(order: { paid: number; bought: number; used: number }): number {
  return order.paid - valueOfFirstSlots(order.paid, order.bought, order.used);
}

/**
 * The platform's cut of `gross` at `bps` basis points (20% = 2000), rounded half up to the
 * minor unit; the teacher gets the rest.
 */
export function commissionSplit(gross: number, bps: number): { commission: number; net: number } {
  if (!Number.isSafeInteger(gross) || gross < 0) throw new RangeError(`bad gross ${gross}`);
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new RangeError(`bad rate ${bps}`);
  const commission = Math.floor((gross * bps + 5_000) / 10_000);
  return { commission, net: gross - commission };
}
