/**
 * Phone numbers as identity stores them: E.164 (a plus, a country code that does not start
 * with 0, up to 15 digits in all). Identity owns the format because a verified number signs
 * an account in; marketing grants coupons to the same numbers (couponGrants, phoneCoupons).
 * Pure: no I/O, safe to import from client components.
 */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** The E.164 form of a typed number (spaces, dots, dashes and brackets dropped), or null. */
export function normalizePhone(typed: string): string | null {
  const phone = typed.replace(/[\s().-]/g, "");
  return E164.test(phone) ? phone : null;
}

/** "•••1234": enough for a person to recognise their number, no more. */
export function maskedPhone(phone: string): string {
  return `•••${phone.slice(-4)}`;
}
