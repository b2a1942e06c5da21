/** One plain-text mail: what every sender accepts. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The app's only way to send mail. Adapters: SMTP (production, server/mail/smtpMailSender.ts)
 * and the development mailbox (server/mail/devMailbox.ts). `send` resolves once the message
 * was accepted for delivery and rejects when it was not.
 */
export interface MailSender {
  send(message: MailMessage): Promise<void>;
}
