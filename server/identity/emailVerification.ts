import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";
import { DomainError } from "../domainError";
import { enforceRateLimit } from "../security/rateLimits";
import { type AccountMailDeps, sendAccountMail } from "./accountMailDelivery";
import { accountLink, verificationMail } from "./accountMails";
import { issueAccountToken, useAccountToken } from "./accountTokens";

/** The account's email and whether it is verified, for /me/account. */
export async function emailStatus(db: Executor, userId: string) {
  const [row] = await db
    .select({ email: users.email, verifiedAt: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) throw new DomainError("not_found", "This account no longer exists");
  return row;
}

/**
 * Mails a verification link to the account's address (at sign-up, and on "Resend"). Counted
 * against the address's account-mail limit before anything is written; the token is issued in
 * its own transaction and the mail goes out after it commits, so a link never names a token
 * that does not exist.
 */
export async function sendVerificationMail(
  db: Executor,
  userId: string,
  deps: AccountMailDeps,
  now = new Date(),
): Promise<void> {
  const [user] = await db
    .select({ email: users.email, name: users.name, verifiedAt: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new DomainError("not_found", "This account no longer exists");
  const email = user.email;
  if (!email) throw new DomainError("invalid", "This account has no email address", "email");
  if (user.verifiedAt) throw new DomainError("conflict", "Your email address is already verified");
  await enforceRateLimit(deps.limiter, "accountMail", `email:${email}`);
  const { token } = await db.transaction(async (tx) => {
    // Serialises two sends for one account, so only one of their links stays live.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    return issueAccountToken(tx, { userId, purpose: "verify_email", email }, now);
  });
  await sendAccountMail(
    deps.mailer,
    verificationMail(
      { email, name: user.name },
      accountLink(deps.linkBase, "/verify-email", token),
    ),
  );
}

export type VerifyEmailOutcome =
  | "verified"
  /** The link was used before (by the user, or a mail scanner that opened it) and the address is verified. */
  | "already_verified"
  /** The account's address is no longer the one the link was sent to. */
  | "email_changed"
  | "used"
  | "expired"
  | "unknown";

/**
 * Opens a verification link, in one transaction: the token is used, and the account's email is
 * marked verified if it still is the address the link was sent to.
 */
export function verifyEmail(db: Executor, token: string, now = new Date()) {
  return db.transaction(async (tx): Promise<VerifyEmailOutcome> => {
    const used = await useAccountToken(tx, token, "verify_email", now);
    if (!used.ok) {
      if (used.state === "used" && used.userId) {
        const [user] = await tx
          .select({ email: users.email, verifiedAt: users.emailVerified })
          .from(users)
          .where(eq(users.id, used.userId));
        if (user?.verifiedAt && user.email === used.email) return "already_verified";
      }
      return used.state;
    }
    const [user] = await tx
      .select({ email: users.email, verifiedAt: users.emailVerified })
      .from(users)
      .where(eq(users.id, used.userId))
      .for("update");
    if (!user || user.email !== used.email) return "email_changed";
    if (!user.verifiedAt) {
      await tx.update(users).set({ emailVerified: now }).where(eq(users.id, used.userId));
    }
    return "verified";
  });
}
