import { derivedSecret } from "../auth/secret";

/**
 * The key of the coupon code permutation (server/marketing/couponCode.ts): COUPON_CODE_SECRET,
 * or derived from the auth secret. Changing it changes every code shown from then on; codes
 * are also stored, so coupons already issued keep working.
 */
export function couponCodeKey(): string {
  const configured = process.env.COUPON_CODE_SECRET;
  if (configured) return configured;
  const derived = derivedSecret("halfhour coupon codes");
  if (!derived) throw new Error("Set COUPON_CODE_SECRET or AUTH_SECRET to issue coupons");
  return derived;
}

/** The risk rule (seed 002): at most this many coupons used per student per UTC day. */
export function couponsPerDay(): number {
  const raw = process.env.HALFHOUR_COUPONS_PER_DAY;
  if (raw === undefined || raw === "") return 3;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    throw new Error(`HALFHOUR_COUPONS_PER_DAY must be a whole number from 1 to 100, got "${raw}"`);
  }
  return value;
}
