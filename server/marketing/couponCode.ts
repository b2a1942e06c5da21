import { createHmac } from "node:crypto";

/**
 * Coupon codes (issue 7, seed 002): a coupon's 64-bit time-ordered id, passed through a keyed
 * permutation of the 64-bit numbers and written in Crockford's base 32 as 13 characters in
 * groups: `7KQ3-M9XD-2HRTA`. Unique, because the permutation is a bijection and ids are
 * unique; unguessable, because without the key consecutive ids give unrelated codes and a
 * random 13-character string is a valid code with odds of issued / 2^64; short enough to
 * type, and forgiving to read back (case, dashes and spaces ignored, O→0, I/L→1).
 *
 * The permutation is a balanced Feistel network over two 32-bit halves, eight rounds, with
 * HMAC-SHA256(key, round ‖ half) as the round function.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MASK32 = 0xffff_ffffn;
const ROUNDS = 8;

function round(key: string, index: number, half: bigint): bigint {
  const digest = createHmac("sha256", key).update(`${index}:${half}`).digest();
  return BigInt(digest.readUInt32BE(0));
}

function permute(value: bigint, key: string): bigint {
  let left = (value >> 32n) & MASK32;
  let right = value & MASK32;
  for (let i = 0; i < ROUNDS; i++) {
    [left, right] = [right, left ^ round(key, i, right)];
  }
  return (left << 32n) | right;
}

function unpermute(value: bigint, key: string): bigint {
  let left = (value >> 32n) & MASK32;
  let right = value & MASK32;
  for (let i = ROUNDS - 1; i >= 0; i--) {
    [left, right] = [right ^ round(key, i, left), left];
  }
  return (left << 32n) | right;
}

function toBase32(value: bigint): string {
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** The code of coupon `id` (a decimal 64-bit id) under `key`, grouped 4-4-5. */
export function couponCodeOf(id: string, key: string): string {
  const raw = toBase32(permute(BigInt.asUintN(64, BigInt(id)), key));
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** A typed code in its stored form (upper case, grouped), or null when it cannot be a code. */
export function normalizeCouponCode(typed: string): string | null {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]{13}$/.test(cleaned)) return null;
  // 13 × 5 = 65 bit places for 64 bits: the first character carries only the top four.
  if (ALPHABET.indexOf(cleaned[0]!) > 15) return null;
  return `${cleaned.slice(0, 4)}-${cleaned.slice(4, 8)}-${cleaned.slice(8)}`;
}

/** The coupon id a code stands for under `key`, or null when the code is malformed. */
export function couponIdOfCode(code: string, key: string): string | null {
  const normal = normalizeCouponCode(code);
  if (!normal) return null;
  let value = 0n;
  for (const char of normal.replace(/-/g, ""))
    value = (value << 5n) | BigInt(ALPHABET.indexOf(char));
  return unpermute(value, key).toString();
}
