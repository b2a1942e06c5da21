import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import {
  PHONE_CODE_LENGTH,
  PHONE_CODE_MAX_ATTEMPTS,
  PHONE_CODE_TTL_MINUTES,
  type PhoneCodeRefusal,
} from "./phoneCodeWords";

/**
 * One-time codes sent by SMS (issue 8, item 2): 6 digits, good for 5 minutes, one successful
 * use and at most 5 attempts. Pure rules over plain values; phoneCodes.ts runs them inside
 * its transactions.
 */
export const PHONE_CODE_TTL_MS = PHONE_CODE_TTL_MINUTES * 60_000;
export { PHONE_CODE_LENGTH, PHONE_CODE_MAX_ATTEMPTS };

export type PhoneCodePurpose = "sign_in" | "link";

const CODE_SHAPE = new RegExp(`^\\d{${PHONE_CODE_LENGTH}}$`);

/** A fresh code, uniform over 000000–999999 from the CSPRNG (Math.random is guessable). */
export function newPhoneCode(): string {
  return String(randomInt(0, 10 ** PHONE_CODE_LENGTH)).padStart(PHONE_CODE_LENGTH, "0");
}

export const isPhoneCodeShape = (code: string) => CODE_SHAPE.test(code);

export const phoneCodeExpiry = (sentAt: Date) => new Date(sentAt.getTime() + PHONE_CODE_TTL_MS);

/**
 * What is stored instead of the code: HMAC-SHA256 under a server key, over the number and the
 * code. A million codes are quickly tried against a plain hash, so a leaked table must be
 * useless without the key; binding the number means a hash copied to another row matches
 * nothing.
 */
export function hashPhoneCode(key: string, phone: string, code: string): string {
  return createHmac("sha256", key).update(`${phone}\n${code}`).digest("base64url");
}

/** Compares in constant time, so response timing says nothing about how close a guess was. */
export function phoneCodeMatches(key: string, phone: string, code: string, stored: string) {
  const given = Buffer.from(hashPhoneCode(key, phone, code));
  const expected = Buffer.from(stored);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface PhoneCodeState {
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
}

export type PhoneCodeVerdict =
  | { kind: "right" }
  /** `countAttempt`: the refusal spent one of the code's attempts (the caller stores it). */
  | { kind: "refused"; refusal: PhoneCodeRefusal; countAttempt: boolean };

/**
 * The verdict on one attempt at the latest code of a number. Used, locked and expired codes
 * are refused without comparing (and without spending an attempt); a wrong code spends one
 * and says how many are left, so the fifth wrong code locks it.
 */
export function judgePhoneCode(
  state: PhoneCodeState | null,
  matches: () => boolean,
  now: Date,
): PhoneCodeVerdict {
  const refuse = (refusal: PhoneCodeRefusal, countAttempt = false): PhoneCodeVerdict => ({
    kind: "refused",
    refusal,
    countAttempt,
  });
  if (!state) return refuse({ reason: "none" });
  if (state.consumedAt) return refuse({ reason: "used" });
  if (state.attempts >= PHONE_CODE_MAX_ATTEMPTS) return refuse({ reason: "locked" });
  if (state.expiresAt.getTime() <= now.getTime()) return refuse({ reason: "expired" });
  if (matches()) return { kind: "right" };
  return refuse(
    { reason: "wrong", attemptsLeft: PHONE_CODE_MAX_ATTEMPTS - state.attempts - 1 },
    true,
  );
}

/** The text message carrying a code. */
export function phoneCodeText(purpose: PhoneCodePurpose, code: string): string {
  const what = purpose === "sign_in" ? "sign-in code" : "code to add this number to your account";
  return `Halfhour: your ${what} is ${code}. It expires in ${PHONE_CODE_TTL_MINUTES} minutes. Never share it with anyone.`;
}
