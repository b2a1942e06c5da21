import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hashPhoneCode,
  isPhoneCodeShape,
  judgePhoneCode,
  newPhoneCode,
  PHONE_CODE_MAX_ATTEMPTS,
  PHONE_CODE_TTL_MS,
  type PhoneCodeState,
  phoneCodeExpiry,
  phoneCodeMatches,
  phoneCodeText,
} from "../../server/identity/phoneCodeRules";
import {
  type PhoneCodeRefusal,
  phoneCodeRefusalMessage,
  refusalOfSignInCode,
  signInCodeOf,
} from "../../server/identity/phoneCodeWords";
import { maskedPhone, normalizePhone } from "../../server/identity/phoneNumber";

const KEY = "test-key";
const PHONE = "+447700900123";
const NOW = new Date("2026-11-23T10:00:00Z");
const live = (over: Partial<PhoneCodeState> = {}): PhoneCodeState => ({
  attempts: 0,
  expiresAt: phoneCodeExpiry(NOW),
  consumedAt: null,
  ...over,
});
const right = () => true;
const wrong = () => false;

describe("phone numbers", () => {
  it("are kept in E.164, however they are typed", () => {
    expect(normalizePhone("+44 7700 900123")).toBe("+447700900123");
    expect(normalizePhone("+1 (555) 010-9999")).toBe("+15550109999");
    expect(normalizePhone("+33.6.12.34.56.78")).toBe("+33612345678");
  });

  it("refuse national forms, a leading zero country code and impossible lengths", () => {
    expect(normalizePhone("07700900123")).toBeNull();
    expect(normalizePhone("+0123456789")).toBeNull();
    expect(normalizePhone("+12345")).toBeNull();
    expect(normalizePhone("+1234567890123456")).toBeNull();
    expect(normalizePhone("+44 7700 9001x3")).toBeNull();
  });

  it("are masked to their last four digits", () => {
    expect(maskedPhone(PHONE)).toBe("•••0123");
  });
});

describe("one-time codes", () => {
  it("are six digits, leading zeros kept", () => {
    const codes = Array.from({ length: 2000 }, newPhoneCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    // 2000 draws from a million values: nearly all distinct (a constant or a short cycle fails).
    expect(new Set(codes).size).toBeGreaterThan(1980);
    expect(isPhoneCodeShape("012345")).toBe(true);
    expect(isPhoneCodeShape("12345")).toBe(false);
    expect(isPhoneCodeShape("12345a")).toBe(false);
  });

  it("expire five minutes after they are sent", () => {
    expect(PHONE_CODE_TTL_MS).toBe(5 * 60_000);
    expect(phoneCodeExpiry(NOW).getTime() - NOW.getTime()).toBe(PHONE_CODE_TTL_MS);
  });

  it("are stored as a keyed hash bound to the number, and match only themselves", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 999_999 }),
        (a, b) => {
          const code = String(a).padStart(6, "0");
          const other = String(b).padStart(6, "0");
          const stored = hashPhoneCode(KEY, PHONE, code);
          expect(stored).not.toContain(code);
          expect(phoneCodeMatches(KEY, PHONE, code, stored)).toBe(true);
          expect(phoneCodeMatches(KEY, PHONE, other, stored)).toBe(code === other);
        },
      ),
      { numRuns: 300 },
    );
    const stored = hashPhoneCode(KEY, PHONE, "123456");
    expect(phoneCodeMatches("another-key", PHONE, "123456", stored)).toBe(false);
    expect(phoneCodeMatches(KEY, "+447700900124", "123456", stored)).toBe(false);
    // A stored value of another length (a corrupted row) is a mismatch, not an exception.
    expect(phoneCodeMatches(KEY, PHONE, "123456", "short")).toBe(false);
  });

  it("are carried by a text naming the code and its lifetime", () => {
    expect(phoneCodeText("sign_in", "012345")).toMatch(/sign-in code is 012345\. .*5 minutes/);
    expect(phoneCodeText("link", "012345")).toMatch(/add this number.* 012345/);
  });
});

describe("judging an attempt", () => {
  it("accepts the right code of a live, unused code", () => {
    expect(judgePhoneCode(live(), right, NOW)).toEqual({ kind: "right" });
    expect(judgePhoneCode(live({ attempts: 4 }), right, NOW)).toEqual({ kind: "right" });
  });

  it("counts a wrong code and says how many attempts are left; the fifth locks", () => {
    const left = [0, 1, 2, 3, 4].map((attempts) => judgePhoneCode(live({ attempts }), wrong, NOW));
    expect(left).toEqual(
      [4, 3, 2, 1, 0].map((attemptsLeft) => ({
        kind: "refused",
        refusal: { reason: "wrong", attemptsLeft },
        countAttempt: true,
      })),
    );
  });

  it("refuses a locked code even when it is right, without counting", () => {
    expect(judgePhoneCode(live({ attempts: PHONE_CODE_MAX_ATTEMPTS }), right, NOW)).toEqual({
      kind: "refused",
      refusal: { reason: "locked" },
      countAttempt: false,
    });
  });

  it("refuses used and expired codes without comparing", () => {
    let compared = false;
    const spy = () => {
      compared = true;
      return true;
    };
    expect(judgePhoneCode(live({ consumedAt: NOW }), spy, NOW)).toMatchObject({
      refusal: { reason: "used" },
      countAttempt: false,
    });
    // Expired at the very instant: the code's five minutes are over.
    expect(judgePhoneCode(live({ expiresAt: NOW }), spy, NOW)).toMatchObject({
      refusal: { reason: "expired" },
      countAttempt: false,
    });
    expect(judgePhoneCode(null, spy, NOW)).toMatchObject({ refusal: { reason: "none" } });
    expect(compared).toBe(false);
  });
});

describe("refusal words", () => {
  const refusals: PhoneCodeRefusal[] = [
    { reason: "none" },
    { reason: "used" },
    { reason: "expired" },
    { reason: "locked" },
    { reason: "wrong", attemptsLeft: 4 },
    { reason: "wrong", attemptsLeft: 1 },
    { reason: "wrong", attemptsLeft: 0 },
  ];

  it("say what happened and what to do", () => {
    expect(refusals.map(phoneCodeRefusalMessage)).toEqual([
      "No code is waiting for this number. Send a new code.",
      "This code has already been used. Send a new code.",
      "This code has expired. Send a new code.",
      "Too many wrong codes: this code is locked. Send a new code.",
      "That code is wrong. 4 attempts left.",
      "That code is wrong. 1 attempt left.",
      "That code is wrong, and that was the last attempt: this code is locked. Send a new code.",
    ]);
  });

  it("survive the trip through Auth.js's sign-in error code", () => {
    for (const refusal of refusals) {
      expect(refusalOfSignInCode(signInCodeOf(refusal))).toEqual(refusal);
    }
    expect(refusalOfSignInCode("rate_limited")).toBeNull();
    expect(refusalOfSignInCode(undefined)).toBeNull();
  });
});
