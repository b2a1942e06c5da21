import nodemailer from "nodemailer";
import type { MailSender } from "./mailSender";

export interface SmtpSettings {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start). */
  url: string;
  /** The From header, e.g. "Halfhour <no-reply@halfhour.example>". */
  from: string;
}

/**
 * Sends through an SMTP relay with nodemailer. Timeouts are bounded so a hung relay fails a
 * send in seconds instead of nodemailer's default two minutes. One pooled transport per sender.
 */
export function smtpMailSender(settings: SmtpSettings): MailSender & { close(): void } {
  const transport = nodemailer.createTransport(settings.url, {
    from: settings.from,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      if (info.rejected.length > 0) {
        throw new Error(`The mail relay refused ${info.rejected.length} recipient(s)`);
      }
    },
    close: () => transport.close(),
  };
}
