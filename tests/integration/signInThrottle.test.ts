import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createCache } from "../../server/cache";
import {
  clearSignInFailures,
  isSignInThrottled,
  MAX_FAILURES,
  recordSignInFailure,
} from "../../server/identity/signInThrottle";

describe("sign-in throttle on real Redis", () => {
  const cache = createCache({ REDIS_URL: process.env.REDIS_URL, CACHE_TIMEOUT_MS: 500 });
  const down = createCache({ REDIS_URL: "redis://127.0.0.1:6390", CACHE_TIMEOUT_MS: 200 });
  afterAll(async () => {
    await cache.close();
    await down.close();
  });

  it("throttles an email after the maximum failures, per email, until cleared", async () => {
    const email = `${randomUUID()}@test.dev`;
    const other = `${randomUUID()}@test.dev`;
    for (let i = 0; i < MAX_FAILURES - 1; i++) await recordSignInFailure(cache, email);
    expect(await isSignInThrottled(cache, email)).toBe(false);
    await recordSignInFailure(cache, email);
    expect(await isSignInThrottled(cache, email)).toBe(true);
    expect(await isSignInThrottled(cache, other)).toBe(false);
    await clearSignInFailures(cache, email);
    expect(await isSignInThrottled(cache, email)).toBe(false);
  });

  it("fails open when Redis is down", async () => {
    const email = `${randomUUID()}@test.dev`;
    await expect(recordSignInFailure(down, email)).resolves.toBeUndefined();
    expect(await isSignInThrottled(down, email)).toBe(false);
  });
});
