import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  couponCodeOf,
  couponIdOfCode,
  normalizeCouponCode,
} from "../../server/marketing/couponCode";

const KEY = "test-key";
const id64 = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String);

describe("coupon codes", () => {
  it("are 13 readable characters in groups of 4-4-5", () => {
    fc.assert(
      fc.property(id64, (id) => {
        expect(couponCodeOf(id, KEY)).toMatch(
          /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$/,
        );
      }),
    );
  });

  it("read back to the id they were made from, however they are typed", () => {
    fc.assert(
      fc.property(id64, (id) => {
        const code = couponCodeOf(id, KEY);
        expect(couponIdOfCode(code, KEY)).toBe(id);
        const sloppy = ` ${code.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l")} `;
        expect(couponIdOfCode(sloppy, KEY)).toBe(id);
      }),
    );
  });

  it("are distinct for distinct ids (the permutation is one to one)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(id64, { minLength: 2, maxLength: 200 }), (ids) => {
        const codes = new Set(ids.map((id) => couponCodeOf(id, KEY)));
        expect(codes.size).toBe(ids.length);
      }),
    );
  });

  it("give consecutive ids unrelated codes, and depend on the key", () => {
    const base = 118220174264807424n;
    const codes = Array.from({ length: 50 }, (_, i) => couponCodeOf(String(base + BigInt(i)), KEY));
    // Time-ordered ids share their high digits; their codes must not share a prefix.
    const prefixes = new Set(codes.map((c) => c.slice(0, 4)));
    expect(prefixes.size).toBeGreaterThan(45);
    expect(couponCodeOf(String(base), "another key")).not.toBe(codes[0]);
    expect(couponIdOfCode(codes[0]!, "another key")).not.toBe(String(base));
  });

  it("refuse what cannot be a code", () => {
    for (const typed of [
      "",
      "ABC",
      "ABCD-EFGH-JKLMNP",
      "ABCD-EFGH-JKLM!",
      "UUUU-UUUU-UUUUU",
      "ZZZZ-ZZZZ-ZZZZZ",
    ]) {
      expect(normalizeCouponCode(typed), typed).toBeNull();
      expect(couponIdOfCode(typed, KEY), typed).toBeNull();
    }
  });
});
