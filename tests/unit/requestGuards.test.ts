import { describe, expect, it } from "vitest";
import { clientAddress } from "../../server/security/clientAddress";
import {
  memoryRateLimiter,
  RATE_LIMITS,
  RateLimited,
  refusalOf,
} from "../../server/security/rateLimits";
import { isCrossSiteRequest } from "../../server/security/sameOrigin";

const APP = "https://halfhour.example";
const headers = (entries: Record<string, string>) => new Headers(entries);

describe("cross-site request check", () => {
  it("refuses what a browser labels cross-site or same-site, whatever the Origin", () => {
    expect(isCrossSiteRequest(headers({ "sec-fetch-site": "cross-site", origin: APP }), APP)).toBe(
      true,
    );
    expect(isCrossSiteRequest(headers({ "sec-fetch-site": "same-site" }), APP)).toBe(true);
  });

  it("lets same-origin and user-initiated requests through", () => {
    expect(isCrossSiteRequest(headers({ "sec-fetch-site": "same-origin" }), APP)).toBe(false);
    expect(isCrossSiteRequest(headers({ "sec-fetch-site": "none" }), APP)).toBe(false);
  });

  it("falls back to Origin for browsers without Fetch Metadata", () => {
    expect(isCrossSiteRequest(headers({ origin: "https://evil.example" }), APP)).toBe(true);
    expect(isCrossSiteRequest(headers({ origin: "null" }), APP)).toBe(true);
    expect(isCrossSiteRequest(headers({ origin: APP }), APP)).toBe(false);
  });

  it("lets programs (no Origin, no Fetch Metadata, so no victim's cookies) through", () => {
    expect(isCrossSiteRequest(headers({}), APP)).toBe(false);
  });
});

describe("client address", () => {
  it("takes the entry the nearest trusted hop appended, not what the client claimed", () => {
    const h = headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" });
    expect(clientAddress(h)).toBe("203.0.113.9");
    expect(clientAddress(h, 2)).toBe("6.6.6.6");
    expect(clientAddress(headers({ "x-forwarded-for": "::1" }))).toBe("::1");
    expect(clientAddress(headers({}))).toBe("unknown");
  });
});

describe("rate limits in memory (the embedded demo)", () => {
  it("passes exactly the limit within a window, then says when to retry", async () => {
    const limiter = memoryRateLimiter();
    const { limit } = RATE_LIMITS.codeSendPhone;
    const decisions = [];
    for (let i = 0; i < limit + 2; i++) decisions.push(await limiter.hit("codeSendPhone", "+1"));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(limit);
    const refused = decisions.at(-1)!;
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(
        RATE_LIMITS.codeSendPhone.windowSeconds,
      );
    }
    expect((await limiter.hit("codeSendPhone", "+2")).allowed).toBe(true);
  });

  it("peeks without counting, and forgets on reset", async () => {
    const limiter = memoryRateLimiter();
    for (let i = 0; i < 20; i++)
      expect((await limiter.peek("signInAccount", "a")).allowed).toBe(true);
    for (let i = 0; i < RATE_LIMITS.signInAccount.limit; i++)
      await limiter.hit("signInAccount", "a");
    expect((await limiter.peek("signInAccount", "a")).allowed).toBe(false);
    await limiter.reset("signInAccount", "a");
    expect((await limiter.peek("signInAccount", "a")).allowed).toBe(true);
  });
});

describe("refusals", () => {
  it("say what was limited and when to retry; a store outage is a 503, not a 429", () => {
    const limited = refusalOf("couponClaim", {
      allowed: false,
      retryAfterSeconds: 42,
      reason: "limited",
    });
    expect(limited).toBeInstanceOf(RateLimited);
    expect(limited?.kind).toBe("rate_limited");
    expect(limited?.message).toBe(
      "Too many coupon claims in a short time. Try again in 42 seconds.",
    );
    const later = refusalOf("signInAccount", {
      allowed: false,
      retryAfterSeconds: 601,
      reason: "limited",
    });
    expect(later?.message).toContain("Try again in 11 minutes.");
    const down = refusalOf("signInAddress", {
      allowed: false,
      retryAfterSeconds: 30,
      reason: "store_down",
    });
    expect(down?.kind).toBe("unavailable");
    expect(down?.storeDown).toBe(true);
    expect(refusalOf("browse", { allowed: true, remaining: 3 })).toBeNull();
  });
});
