import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST } from "../../app/api/auth/[...nextauth]/route";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import { handlers } from "../../server/auth";
import { requestPhoneCode } from "../../server/identity/phoneCodes";
import { recordSignInOutcome } from "../../server/identity/signInLimits";
import { getRateLimiter } from "../../server/security/rateLimits";
import { freshPhone, otherThan, recordingSender, testLimiter } from "../phoneFixtures";

/**
 * Phone sign-in through the real Auth.js route (the guard in front of it included), the way
 * the sign-in page posts it: a CSRF token from /api/auth/csrf, then a form POST to
 * /api/auth/callback/phone asking for a JSON answer.
 */
const ORIGIN = "http://localhost:3000";
const codeLimiter = testLimiter();
afterAll(() => codeLimiter.close());

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

async function csrf(): Promise<{ token: string; cookie: string }> {
  const response = await handlers.GET(new NextRequest(`${ORIGIN}/api/auth/csrf`));
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { token: csrfToken, cookie: cookiesOf(response).join("; ") };
}

async function postPhoneSignIn(phone: string, code: string, address = "192.0.2.10") {
  const { token, cookie } = await csrf();
  const response = await POST(
    new NextRequest(`${ORIGIN}/api/auth/callback/phone`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-auth-return-redirect": "1",
        "x-forwarded-for": address,
        cookie,
      },
      body: new URLSearchParams({
        phone,
        code,
        csrfToken: token,
        callbackUrl: `${ORIGIN}/me/coupons`,
      }),
    }),
  );
  const body = (await response.json()) as { url: string; message?: string };
  return { response, body, url: new URL(body.url) };
}

async function sendCode(phone: string) {
  const sms = recordingSender();
  await requestPhoneCode(
    getDb(),
    codeLimiter.limiter,
    { phone, purpose: "sign_in", address: "192.0.2.10" },
    sms.sender,
  );
  return sms.codeFor(phone);
}

describe("phone sign-in over HTTP", () => {
  it("signs a new number in with its code: a session cookie and the callback URL", async () => {
    const phone = freshPhone();
    const code = await sendCode(phone);
    const { response, url } = await postPhoneSignIn(phone, code);
    expect(response.status).toBe(200);
    expect(url.searchParams.get("error")).toBeNull();
    expect(url.pathname).toBe("/me/coupons");
    expect(cookiesOf(response).some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    const [account] = await getDb().select().from(users).where(eq(users.phone, phone));
    expect(account?.role).toBe("student");
  });

  it("a wrong code comes back as a sign-in error whose code says the attempts left", async () => {
    const phone = freshPhone();
    const code = await sendCode(phone);
    const { response, url } = await postPhoneSignIn(phone, otherThan(code));
    expect(cookiesOf(response).some((c) => c.startsWith("authjs.session-token="))).toBe(false);
    expect(url.searchParams.get("error")).toBe("CredentialsSignin");
    expect(url.searchParams.get("code")).toBe("code_wrong_4");
  });

  it("over the number's failure limit: 429 with Retry-After, before the code is looked at", async () => {
    const phone = freshPhone();
    const code = await sendCode(phone);
    for (let i = 0; i < 10; i++) await recordSignInOutcome(getRateLimiter(), { phone }, false);
    const { response, body, url } = await postPhoneSignIn(phone, code);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(url.searchParams.get("code")).toBe("rate_limited");
    expect(body.message).toMatch(
      /Too many failed sign-ins for this account\. Try again in \d+ (seconds|minutes?)\./,
    );
    // The code was not spent: the guard answered before Auth.js ran.
    expect(await getDb().select().from(users).where(eq(users.phone, phone))).toEqual([]);
  });
});
