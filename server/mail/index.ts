import { devSinksEnabled } from "../config/deployment";
import { env } from "../config/env";
import { devMailSender } from "./devMailbox";
import type { MailSender } from "./mailSender";
import { smtpMailSender } from "./smtpMailSender";

export type { MailMessage, MailSender } from "./mailSender";

const holder = globalThis as typeof globalThis & { __halfhourMailSender?: MailSender };

/**
 * The process-wide sender: SMTP when SMTP_URL is configured (it wins even where dev sinks are
 * on, so a developer can try a real relay), else the development mailbox where dev sinks are
 * on. Anywhere else there is no way to send mail, which startupProblems() reports at start.
 */
export function getMailSender(): MailSender {
  if (holder.__halfhourMailSender) return holder.__halfhourMailSender;
  const { SMTP_URL, MAIL_FROM } = env();
  let sender: MailSender;
  if (SMTP_URL) {
    if (!MAIL_FROM) throw new Error("SMTP_URL is set but MAIL_FROM is not");
    sender = smtpMailSender({ url: SMTP_URL, from: MAIL_FROM });
  } else if (devSinksEnabled()) {
    sender = devMailSender();
  } else {
    throw new Error("No mail sender configured: set SMTP_URL and MAIL_FROM");
  }
  holder.__halfhourMailSender = sender;
  return sender;
}
