import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import { createCaller } from "../../server/api/root";
import { guardSignIn } from "../../server/auth/guardSignIn";
import { ACCOUNT_RECHECK_MS, refreshSessionToken } from "../../server/auth/sessionToken";
import { connectRedis, getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { admitSignInAttempt, recordSignInOutcome } from "../../server/identity/signInLimits";
import { RATE_LIMITS, redisRateLimiter } from "../../server/security/rateLimits";
import { createUser, sessionOf } from "../fixtures";

const db = getDb();
const live = connectRedis({ REDIS_URL: process.env.REDIS_URL, CACHE_TIMEOUT_MS: 500 })!;
const dead = connectRedis({ REDIS_URL: "redis://127.0.0.1:6390", CACHE_TIMEOUT_MS: 200 })!;
afterAll(async () => {
  await live.close();
  await dead.close();
});
/** A limiter of its own, so no other test's hits are counted. */
const freshLimiter = () => redisRateLimiter(live.redis, `ratelimit:test:${randomUUID()}`);
const downLimiter = () => redisRateLimiter(dead.redis, "ratelimit:down");

async function trpcPost(
  path: string,
  input: unknown,
  session: AppSession | null,
  extraHeaders: Record<string, string> = {},
) {
  const res = await handleTrpcRequest(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...extraHeaders },
      body: JSON.stringify(superjson.serialize(input)),
    }),
    async () => session,
  );
  return res;
}

describe("rate limits on Redis", () => {
  it("count concurrent hits exactly: of 40 at once, exactly the limit passes", async () => {
    const limiter = freshLimiter();
    const decisions = await Promise.all(
      Array.from({ length: 40 }, () => limiter.hit("codeSendAddress", "203.0.113.7")),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(RATE_LIMITS.codeSendAddress.limit);
    const refused = decisions.find((d) => !d.allowed);
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("fail closed for sign-in and code sends, open for browsing and buying, when Redis is down", async () => {
    const limiter = downLimiter();
    expect(await limiter.hit("signInAddress", "x")).toMatchObject({
      allowed: false,
      reason: "store_down",
    });
    expect(await limiter.hit("codeSendPhone", "+15550000000")).toMatchObject({ allowed: false });
    expect(await limiter.hit("browse", "x")).toMatchObject({ allowed: true });
    expect(await limiter.hit("orderCreate", "x")).toMatchObject({ allowed: true });
  });
});

describe("rate-limited procedures over HTTP", () => {
  it("the 31st coupon claim in a minute is a 429 with Retry-After, and nothing is claimed", async () => {
    const student = sessionOf(await createUser("student"));
    const claim = () =>
      trpcPost(
        "coupons.claim",
        { claimCode: "NOPE-NOPE-NOPE0", requestKey: randomUUID() },
        student,
      );
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMITS.couponClaim.limit; i++) statuses.push((await claim()).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    const refused = await claim();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(RATE_LIMITS.couponClaim.windowSeconds);
    const body = (await refused.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toMatch(
      /^Too many coupon claims in a short time\. Try again in/,
    );
    // Another student is not affected.
    const other = sessionOf(await createUser("student"));
    const theirs = await trpcPost(
      "coupons.claim",
      { claimCode: "NOPE-NOPE-NOPE0", requestKey: randomUUID() },
      other,
    );
    expect(theirs.status).not.toBe(429);
  });

  it("order creation is limited per student", async () => {
    const student = sessionOf(await createUser("student"));
    const caller = createCaller({
      db,
      cache: getCache(),
      session: student,
      requestId: "t",
      rateLimiter: freshLimiter(),
    });
    const attempt = () =>
      caller.trade.placeOrder({ orderId: "1", teacherId: "1", courseId: "1" } as never).then(
        () => "placed",
        (e: { code?: string }) => e.code,
      );
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < RATE_LIMITS.orderCreate.limit + 1; i++) codes.push(await attempt());
    expect(codes.slice(0, -1).every((c) => c === "BAD_REQUEST")).toBe(true);
    expect(codes.at(-1)).toBe("TOO_MANY_REQUESTS");
  });

  it("search keeps answering through a Redis outage (browsing fails open)", async () => {
    const caller = createCaller({
      db,
      cache: getCache(),
      session: null,
      requestId: "t",
      clientAddress: "198.51.100.1",
      rateLimiter: downLimiter(),
    });
    await expect(caller.search.teachers({})).resolves.toBeDefined();
  });
});

describe("cross-site requests", () => {
  it("a mutation posted from another site is refused with 403 before anything runs", async () => {
    const student = sessionOf(await createUser("student"));
    for (const headers of [
      { origin: "https://evil.example" } as Record<string, string>,
      { "sec-fetch-site": "cross-site" },
    ]) {
      const res = await trpcPost(
        "coupons.claim",
        { claimCode: "NOPE-NOPE-NOPE0", requestKey: randomUUID() },
        student,
        headers,
      );
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Cross-site request refused");
    }
    const same = await trpcPost(
      "coupons.claim",
      { claimCode: "NOPE-NOPE-NOPE0", requestKey: randomUUID() },
      student,
      { origin: "http://localhost", "sec-fetch-site": "same-origin" },
    );
    expect(same.status).toBe(404);
  });
});

describe("credential sign-in limits", () => {
  it("after 10 failures an account is refused before its password is checked; a success clears it", async () => {
    const limiter = freshLimiter();
    const account = { email: `${randomUUID()}@test.dev` };
    for (let i = 0; i < RATE_LIMITS.signInAccount.limit; i++) {
      expect(await admitSignInAttempt(limiter, "198.51.100.2", account)).toBeNull();
      await recordSignInOutcome(limiter, account, false);
    }
    const refusal = await admitSignInAttempt(limiter, "198.51.100.2", account);
    expect(refusal?.kind).toBe("rate_limited");
    expect(refusal?.message).toMatch(/^Too many failed sign-ins for this account/);
    // A different account from the same address is still admitted.
    expect(
      await admitSignInAttempt(limiter, "198.51.100.2", { email: "other@test.dev" }),
    ).toBeNull();
    await recordSignInOutcome(limiter, account, true);
    expect(await admitSignInAttempt(limiter, "198.51.100.2", account)).toBeNull();
  });

  it("an address is refused after its attempts, whichever accounts it tries", async () => {
    const limiter = freshLimiter();
    for (let i = 0; i < RATE_LIMITS.signInAddress.limit; i++) {
      await admitSignInAttempt(limiter, "198.51.100.3", { email: `${i}@test.dev` });
    }
    const refusal = await admitSignInAttempt(limiter, "198.51.100.3", { email: "new@test.dev" });
    expect(refusal?.message).toMatch(/^Too many sign-in attempts from your network/);
  });

  it("sign-in fails closed when Redis is down", async () => {
    const refusal = await admitSignInAttempt(downLimiter(), "198.51.100.4", {
      email: "a@test.dev",
    });
    expect(refusal?.storeDown).toBe(true);
  });

  it("the Auth.js callback answers 429 with Retry-After in the shape the sign-in form reads", async () => {
    let reachedAuthJs = 0;
    const post = guardSignIn(async () => {
      reachedAuthJs += 1;
      return Response.json({ url: "http://localhost/" });
    });
    const email = `${randomUUID()}@test.dev`;
    const signIn = () =>
      post(
        new Request("http://localhost/api/auth/callback/credentials", {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-forwarded-for": "198.51.100.5",
          },
          body: new URLSearchParams({ email, password: "wrong-password" }),
        }),
      );
    // Failures are counted by authorize(); here they are recorded as it would.
    const { getRateLimiter } = await import("../../server/security/rateLimits");
    for (let i = 0; i < RATE_LIMITS.signInAccount.limit; i++) {
      expect((await signIn()).status).toBe(200);
      await recordSignInOutcome(getRateLimiter(), { email }, false);
    }
    const refused = await signIn();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { url: string };
    expect(new URL(body.url).searchParams.get("code")).toBe("rate_limited");
    expect(reachedAuthJs).toBe(RATE_LIMITS.signInAccount.limit);
    // Other Auth.js routes (sign-out, session) are never limited.
    const signOut = await post(
      new Request("http://localhost/api/auth/signout", { method: "POST" }),
    );
    expect(signOut.status).toBe(200);
  });
});

describe("sessions", () => {
  it("a sign-in starts a token from nothing, carrying the account's role and generation", async () => {
    const user = await createUser("teacher");
    const planted = { uid: "someone-else", role: "admin" as const, sessionState: "x" };
    const token = await refreshSessionToken(db, planted, { id: user.id, name: user.name });
    expect(token).toMatchObject({ uid: user.id, sub: user.id, role: "teacher", generation: 0 });
    expect(token).not.toHaveProperty("sessionState");
  });

  it("bumping the account's generation ends its older sessions at the next re-check", async () => {
    const user = await createUser("student");
    const token = (await refreshSessionToken(db, {}, { id: user.id }))!;
    const later = Date.now() + ACCOUNT_RECHECK_MS + 1;
    expect(await refreshSessionToken(db, token, undefined, later)).not.toBeNull();
    await db
      .update(users)
      .set({ sessionGeneration: sql`${users.sessionGeneration} + 1` })
      .where(eq(users.id, user.id));
    expect(await refreshSessionToken(db, token, undefined, later)).toBeNull();
    // A new sign-in works again.
    const fresh = await refreshSessionToken(db, {}, { id: user.id });
    expect(fresh?.generation).toBe(1);
  });

  it("'sign out everywhere' ends the account's sessions, and only that account's", async () => {
    const user = await createUser("student");
    const other = await createUser("student");
    const mine = (await refreshSessionToken(db, {}, { id: user.id }))!;
    const theirs = (await refreshSessionToken(db, {}, { id: other.id }))!;
    await createCaller({
      db,
      cache: getCache(),
      session: sessionOf(user),
      requestId: "t",
    }).account.signOutEverywhere();
    const later = Date.now() + ACCOUNT_RECHECK_MS + 1;
    expect(await refreshSessionToken(db, mine, undefined, later)).toBeNull();
    expect(await refreshSessionToken(db, theirs, undefined, later)).not.toBeNull();
  });

  it("a role change is picked up at the re-check", async () => {
    const user = await createUser("student");
    const token = (await refreshSessionToken(db, {}, { id: user.id }))!;
    await db.update(users).set({ role: "teacher" }).where(eq(users.id, user.id));
    expect((await refreshSessionToken(db, token, undefined))?.role).toBe("student");
    const later = Date.now() + ACCOUNT_RECHECK_MS + 1;
    expect((await refreshSessionToken(db, token, undefined, later))?.role).toBe("teacher");
  });

  it("update() re-reads the role at once, and what it sends is not read", async () => {
    const user = await createUser("student");
    const token = (await refreshSessionToken(db, {}, { id: user.id }))!;
    await db.update(users).set({ role: "teacher" }).where(eq(users.id, user.id));
    expect((await refreshSessionToken(db, token, undefined, Date.now(), true))?.role).toBe(
      "teacher",
    );
    await db
      .update(users)
      .set({ sessionGeneration: sql`${users.sessionGeneration} + 1` })
      .where(eq(users.id, user.id));
    expect(await refreshSessionToken(db, token, undefined, Date.now(), true)).toBeNull();
  });
});
