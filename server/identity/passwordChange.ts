import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";
import { DomainError } from "../domainError";
import type { RateLimiter } from "../security/rateLimits";
import { hashPassword, verifyPassword } from "./password";
import { revokingSessions } from "./revokeSessions";
import { admitAccountPasswordCheck, recordSignInOutcome } from "./signInLimits";

/**
 * Changes a signed-in user's password, given the current one. The current password is checked
 * under the account's sign-in failure limit (a stolen session must not become a way to guess
 * it), and the change bumps the session generation: every session, this one too, ends within a
 * minute; the page signs in again with the new password at once.
 */
export async function changePassword(
  db: Executor,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  limiter: RateLimiter,
): Promise<void> {
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new DomainError("not_found", "This account no longer exists");
  if (!user.passwordHash) {
    throw new DomainError(
      "invalid",
      "This account has no password yet: set one with “Forgot your password?” on the sign-in page",
      "currentPassword",
    );
  }
  const account = user.email ? { email: user.email } : null;
  if (account) {
    const refusal = await admitAccountPasswordCheck(limiter, account);
    if (refusal) throw refusal;
  }
  const ok = await verifyPassword(user.passwordHash, input.currentPassword);
  if (account) await recordSignInOutcome(limiter, account, ok);
  if (!ok) {
    throw new DomainError("invalid", "That is not your current password", "currentPassword");
  }
  if (input.newPassword === input.currentPassword) {
    throw new DomainError(
      "invalid",
      "Choose a password different from the current one",
      "newPassword",
    );
  }
  const newHash = await hashPassword(input.newPassword);
  // Only over the hash that was checked: a reset or change that landed meanwhile wins.
  const [changed] = await db
    .update(users)
    .set({ passwordHash: newHash, ...revokingSessions })
    .where(and(eq(users.id, userId), eq(users.passwordHash, user.passwordHash)))
    .returning({ id: users.id });
  if (!changed) {
    throw new DomainError("conflict", "Your password was changed meanwhile. Please try again.");
  }
}
