import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  accountTokenField,
  hashAccountToken,
  newAccountToken,
  TOKEN_LIFETIME_MS,
  tokenExpiresAt,
  tokenState,
} from "../../server/identity/accountTokenRules";

const NOW = new Date("2026-03-02T09:00:00.000Z");
const HOUR_MS = 3_600_000;

describe("account token rules", () => {
  it("makes 32 random bytes in base64url and keeps only their SHA-256", () => {
    const bytes = Buffer.alloc(32, 7);
    const { token, tokenHash } = newAccountToken(() => bytes);
    expect(token).toBe(bytes.toString("base64url"));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(tokenHash).not.toContain(token);
    expect(hashAccountToken(token)).toBe(tokenHash);
  });

  it("never repeats a token", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newAccountToken().token));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(accountTokenField.safeParse(token).success).toBe(true);
  });

  it("accepts only a complete token from a link", () => {
    const { token } = newAccountToken();
    for (const bad of [
      "",
      token.slice(0, 42),
      `${token}A`,
      `${token.slice(0, 42)}=`,
      `${token.slice(0, 42)}+`,
      42,
      null,
    ]) {
      expect(accountTokenField.safeParse(bad).success, String(bad)).toBe(false);
    }
  });

  it("gives a verification link 24 hours and a reset link 1 hour", () => {
    expect(TOKEN_LIFETIME_MS.verify_email).toBe(24 * HOUR_MS);
    expect(TOKEN_LIFETIME_MS.reset_password).toBe(HOUR_MS);
    expect(tokenExpiresAt("verify_email", NOW).toISOString()).toBe("2026-03-03T09:00:00.000Z");
    expect(tokenExpiresAt("reset_password", NOW).toISOString()).toBe("2026-03-02T10:00:00.000Z");
  });

  it("says whether a stored token is usable, used, expired or unknown", () => {
    const expiresAt = tokenExpiresAt("reset_password", NOW);
    expect(tokenState(null, NOW)).toBe("unknown");
    expect(tokenState({ expiresAt, usedAt: null }, NOW)).toBe("usable");
    expect(tokenState({ expiresAt, usedAt: null }, new Date(expiresAt.getTime() - 1))).toBe(
      "usable",
    );
    // The expiry instant itself is past: a link is good strictly before it.
    expect(tokenState({ expiresAt, usedAt: null }, expiresAt)).toBe("expired");
    // Used wins over expired: the page says what happened first.
    expect(tokenState({ expiresAt, usedAt: NOW }, new Date(expiresAt.getTime() + HOUR_MS))).toBe(
      "used",
    );
  });
});
