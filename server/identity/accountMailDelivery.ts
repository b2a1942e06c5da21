import { publicAppUrl } from "../config/env";
import { DomainError } from "../domainError";
import { getMailSender, type MailMessage, type MailSender } from "../mail";
import { getRateLimiter, type RateLimiter } from "../security/rateLimits";

/** What the account-mail services need from outside; tests pass their own. */
export interface AccountMailDeps {
  mailer: MailSender;
  limiter: RateLimiter;
  /** Where mailed links point: the public URL, or null for path-only links (dev mailbox). */
  linkBase: string | null;
}

export function accountMailDeps(limiter?: RateLimiter): AccountMailDeps {
  return {
    mailer: getMailSender(),
    limiter: limiter ?? getRateLimiter(),
    linkBase: publicAppUrl(),
  };
}

/** Sends one account mail; a relay failure becomes a 503 the user can retry (details logged). */
export async function sendAccountMail(mailer: MailSender, message: MailMessage): Promise<void> {
  try {
    await mailer.send(message);
  } catch (error) {
    console.error(`[mail] sending "${message.subject}" failed`, error);
    throw new DomainError(
      "unavailable",
      "We could not send the email just now. Please try again in a few minutes.",
    );
  }
}
