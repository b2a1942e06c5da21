import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Rules of the single-use tokens mailed to users (email verification, password reset). Pure:
 * no database, no clock of its own. A token is 32 random bytes in base64url (43 characters,
 * 256 bits: not guessable, so it needs no attempt counter); only its SHA-256 is stored.
 */
export type AccountTokenPurpose = "verify_email" | "reset_password";

const HOUR_MS = 3_600_000;

/** A verification link is good for a day, a reset link for an hour (it can take over the account). */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 24 * HOUR_MS,
  reset_password: HOUR_MS,
};

export const TOKEN_BYTES = 32;

/** A token as it arrives in a link or a form: base64url of 32 bytes, nothing else. */
export const accountTokenField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, { message: "This link is not complete: open it from the email" });

/** The stored form of a token: its SHA-256 in hex. A leaked table opens no account. */
export function hashAccountToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A fresh token and the hash to store. `random` is injectable for tests. */
export function newAccountToken(random: (size: number) => Buffer = randomBytes) {
  const token = random(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashAccountToken(token) };
}

export function tokenExpiresAt(purpose: AccountTokenPurpose, issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + TOKEN_LIFETIME_MS[purpose]);
}

/**
 * What a presented token is worth: usable, already used, past its expiry (or replaced by a
 * newer one, which expires the older), or unknown (never issued, or issued for another purpose).
 */
export type TokenState = "usable" | "used" | "expired" | "unknown";

export function tokenState(
  row: { expiresAt: Date; usedAt: Date | null } | null | undefined,
  now: Date,
): TokenState {
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  return row.expiresAt.getTime() > now.getTime() ? "usable" : "expired";
}
