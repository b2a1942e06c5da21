import { env } from "../config/env";
import { emailField } from "../identity/credentials";
import { admitSignInAttempt, type SignInAccount } from "../identity/signInLimits";
import { clientAddress } from "../security/clientAddress";
import { getRateLimiter } from "../security/rateLimits";

/** Credential providers whose callback is a guessable secret (a password, a one-time code). */
const GUARDED_CALLBACK = /\/api\/auth\/callback\/(credentials|phone)$/;

/** The account a sign-in form names, when it names one well-formed. */
async function accountOf(request: Request): Promise<SignInAccount | null> {
  try {
    const form = await request.clone().formData();
    const email = emailField.safeParse(form.get("email"));
    if (email.success) return { email: email.data };
    const phone = form.get("phone");
    if (typeof phone === "string" && /^\+[1-9]\d{6,14}$/.test(phone)) return { phone };
  } catch {
    // Not a form: Auth.js will refuse it itself.
  }
  return null;
}

/**
 * Wraps Auth.js's POST handler: credential sign-ins over their limits are answered 429 with
 * Retry-After (503 when the limiter cannot be reached: sign-in fails closed) before any
 * password is hashed. The JSON body has the shape next-auth/react's signIn() reads, so the
 * form shows the refusal like any other sign-in error.
 */
export function guardSignIn<R extends Request>(post: (request: R) => Promise<Response>) {
  return async (request: R): Promise<Response> => {
    if (!GUARDED_CALLBACK.test(new URL(request.url).pathname)) return post(request);
    const refusal = await admitSignInAttempt(
      getRateLimiter(),
      clientAddress(request.headers, env().HALFHOUR_PROXY_HOPS),
      await accountOf(request),
    );
    if (!refusal) return post(request);
    const url = new URL("/sign-in", request.url);
    url.searchParams.set("error", "CredentialsSignin");
    url.searchParams.set("code", refusal.storeDown ? "unavailable" : "rate_limited");
    url.searchParams.set("retry_after", String(refusal.retryAfterSeconds));
    return Response.json(
      { url: url.toString(), message: refusal.message },
      {
        status: refusal.storeDown ? 503 : 429,
        headers: { "retry-after": String(refusal.retryAfterSeconds), "cache-control": "no-store" },
      },
    );
  };
}
