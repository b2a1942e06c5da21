import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";
import { DomainError } from "../domainError";
import { enforceRateLimit } from "../security/rateLimits";
import type { AccountMailDeps } from "./accountMailDelivery";
import { accountLink, passwordResetMail } from "./accountMails";
import type { TokenState } from "./accountTokenRules";
import { expireAccountTokens, issueAccountToken, useAccountToken } from "./accountTokens";
import { hashPassword } from "./password";
import { revokingSessions } from "./revokeSessions";
import { recordSignInOutcome } from "./signInLimits";

/** The one answer to "forgot password", whether or not the address has an account. */
export const RESET_REQUESTED =
  "If an account exists for that address, we sent it a link to choose a new password. The link works for 1 hour.";

/**
 * "Forgot your password?": mails a reset link when the address has an account, and answers
 * the same either way. Limits count the caller's network and the address named, before the
 * lookup, so a refusal says nothing about the account either. The mail is handed over after
 * the token commits and is not awaited (`delivery` settles when it was sent or failed, and
 * never rejects): a relay's latency would otherwise tell which addresses have accounts.
 */
export async function requestPasswordReset(
  db: Executor,
  request: { email: string; clientAddress?: string },
  deps: AccountMailDeps,
  now = new Date(),
): Promise<{ message: string; delivery: Promise<void> }> {
  if (request.clientAddress) {
    await enforceRateLimit(deps.limiter, "accountMailAddress", `address:${request.clientAddress}`);
  }
  await enforceRateLimit(deps.limiter, "accountMail", `email:${request.email}`);
  const issued = await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(eq(users.email, request.email))
      .for("update");
    if (!user) return null;
    const grant = { userId: user.id, purpose: "reset_password" as const, email: request.email };
    return { user, ...(await issueAccountToken(tx, grant, now)) };
  });
  if (!issued) return { message: RESET_REQUESTED, delivery: Promise.resolve() };
  const mail = passwordResetMail(
    { email: request.email, name: issued.user.name },
    accountLink(deps.linkBase, "/reset-password", issued.token),
  );
  const delivery = deps.mailer.send(mail).catch((error: unknown) => {
    console.error("[mail] a password-reset mail could not be sent", error);
  });
  return { message: RESET_REQUESTED, delivery };
}

/** Why a reset link cannot be used, in words for the page. */
export function resetLinkProblem(state: Exclude<TokenState, "usable">): string {
  if (state === "used")
    return "This reset link was already used. Ask for a new one if you need to.";
  if (state === "expired") {
    return "This reset link has expired (links work for 1 hour, and only the latest one). Ask for a new one.";
  }
  return "This reset link is not valid. Open the latest link from the email, or ask for a new one.";
}

/**
 * Sets a new password from a reset link, in one transaction: the token is used, the password
 * replaced, the session generation bumped (every existing session ends within a minute), the
 * email marked verified (opening the mail proved the mailbox) and the account's other reset
 * links expired. The password is hashed before the transaction so no lock waits on argon2.
 */
export async function resetPassword(
  db: Executor,
  input: { token: string; password: string },
  deps: Pick<AccountMailDeps, "limiter">,
  now = new Date(),
): Promise<{ email: string }> {
  const passwordHash = await hashPassword(input.password);
  const reset = await db.transaction(async (tx) => {
    const used = await useAccountToken(tx, input.token, "reset_password", now);
    if (!used.ok) throw new DomainError("invalid", resetLinkProblem(used.state), "token");
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        ...revokingSessions,
        emailVerified: sql`coalesce(${users.emailVerified}, ${now.toISOString()}::timestamptz)`,
      })
      .where(and(eq(users.id, used.userId), eq(users.email, used.email)))
      .returning({ email: users.email });
    if (!user?.email) {
      // Thrown, so the transaction rolls back: nothing changes for an account whose address moved.
      throw new DomainError(
        "invalid",
        "This link was sent to an address that is no longer the account's. Ask for a new one.",
        "token",
      );
    }
    await expireAccountTokens(tx, used.userId, "reset_password", now);
    return { email: user.email };
  });
  // The mailbox owner may have been locked out by failed sign-ins: they may sign in now.
  await recordSignInOutcome(deps.limiter, { email: reset.email }, true);
  return reset;
}
