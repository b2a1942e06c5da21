import { getCsrfToken } from "next-auth/react";
import { phoneCodeRefusalMessage, refusalOfSignInCode } from "@/server/identity/phoneCodeWords";

export type PhoneSignInOutcome =
  | { ok: true }
  | { ok: false; message: string; newCodeNeeded: boolean };

/**
 * Signs in with Auth.js's "phone" provider, posting what next-auth/react's signIn() posts
 * (CSRF token, the fields, a JSON answer instead of a redirect). Done by hand because signIn()
 * drops the answer's body: a refusal by the rate limit (server/auth/guardSignIn) carries a
 * message saying when to try again, and that is what the person needs to read.
 */
export async function signInWithPhoneCode(
  phone: string,
  code: string,
  callbackUrl: string,
): Promise<PhoneSignInOutcome> {
  let response: Response;
  try {
    response = await fetch("/api/auth/callback/phone", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-auth-return-redirect": "1",
      },
      body: new URLSearchParams({
        phone,
        code,
        csrfToken: (await getCsrfToken()) ?? "",
        callbackUrl: new URL(callbackUrl, window.location.origin).href,
      }),
    });
  } catch {
    return failed("The connection failed. Check your network and try again.");
  }
  const body = (await response.json().catch(() => null)) as {
    url?: string;
    message?: string;
  } | null;
  if (response.status === 429 || response.status === 503) {
    return failed(
      body?.message ?? "Too many sign-in attempts. Wait a few minutes, then try again.",
    );
  }
  const url = body?.url ? new URL(body.url, window.location.origin) : null;
  if (response.ok && url && !url.searchParams.get("error")) return { ok: true };
  const refusal = refusalOfSignInCode(url?.searchParams.get("code") ?? undefined);
  if (refusal) {
    const stillUsable = refusal.reason === "wrong" && refusal.attemptsLeft > 0;
    return { ok: false, message: phoneCodeRefusalMessage(refusal), newCodeNeeded: !stillUsable };
  }
  return failed("Signing in did not work. Please try again.");
}

const failed = (message: string): PhoneSignInOutcome => ({
  ok: false,
  message,
  newCodeNeeded: false,
});
