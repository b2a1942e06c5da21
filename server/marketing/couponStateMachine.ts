/**
 * A coupon's life (issue 7):
 *
 *   pending (granted to a phone number with no account yet) → available (the account that
 *     verifies the number claims it)
 *   available → locked (an unpaid order uses it) → used (the order is paid)
 *   locked → available (the order expired or was cancelled unpaid)
 *   used → available (the order was refunded in full before any hour was used)
 *   … or, in both cases, expired when its validity ended meanwhile
 *   available → expired (validity over; reads treat a lapsed coupon as expired at once)
 *   available | pending → void (its batch was retired)
 *
 * A partially refunded order keeps its coupon used: the discount went into the hours taken.
 */
export const COUPON_STATUSES = [
  "pending",
  "available",
  "locked",
  "used",
  "expired",
  "void",
] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];

export const COUPON_EVENTS = ["attach", "lock", "redeem", "release", "expire", "void"] as const;
export type CouponEvent = (typeof COUPON_EVENTS)[number];

const TABLE: Record<CouponEvent, Partial<Record<CouponStatus, CouponStatus>>> = {
  attach: { pending: "available" },
  lock: { available: "locked" },
  redeem: { locked: "used" },
  release: { locked: "available", used: "available" },
  expire: { available: "expired", locked: "expired", used: "expired" },
  void: { available: "void", pending: "void" },
};

export function nextCouponStatus(status: CouponStatus, event: CouponEvent): CouponStatus | null {
  return TABLE[event][status] ?? null;
}
