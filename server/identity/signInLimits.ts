import { type RateLimited, type RateLimiter, refusalOf } from "../security/rateLimits";

/** Which sign-in an account's failures are counted under: an email or a phone number. */
export type SignInAccount = { email: string } | { phone: string };

const accountKey = (account: SignInAccount) =>
  "email" in account ? `email:${account.email}` : `phone:${account.phone}`;

/**
 * Before a credential sign-in is checked: counts the attempt against the caller's address and
 * refuses when that address, or the account, has used up its window. The account limit counts
 * failures only (see recordSignInOutcome), so a user who signs in often is never locked out.
 */
export async function admitSignInAttempt(
  limiter: RateLimiter,
  address: string,
  account: SignInAccount | null,
): Promise<RateLimited | null> {
  const byAddress = refusalOf("signInAddress", await limiter.hit("signInAddress", address));
  if (byAddress) return byAddress;
  if (!account) return null;
  return refusalOf("signInAccount", await limiter.peek("signInAccount", accountKey(account)));
}

/**
 * For a password check outside sign-in (changing the password): refuses when the account has
 * used up its failures, so the current-password field is not a way around the sign-in limit.
 */
export async function admitAccountPasswordCheck(
  limiter: RateLimiter,
  account: SignInAccount,
): Promise<RateLimited | null> {
  return refusalOf("signInAccount", await limiter.peek("signInAccount", accountKey(account)));
}

/** After the check: a failure counts against the account; a success clears its failures. */
export async function recordSignInOutcome(
  limiter: RateLimiter,
  account: SignInAccount,
  succeeded: boolean,
): Promise<void> {
  if (succeeded) await limiter.reset("signInAccount", accountKey(account));
  else await limiter.hit("signInAccount", accountKey(account));
}
