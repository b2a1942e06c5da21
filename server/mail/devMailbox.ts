import type { MailMessage, MailSender } from "./mailSender";

/** A mail the development sink kept, as /dev/mail lists it. */
export interface DevMail extends MailMessage {
  id: number;
  sentAt: Date;
}

/** Enough for a session of clicking around; older mails fall off the end. */
const KEEP = 50;

/**
 * The development mailbox lives in this process's memory (on globalThis, so every bundle of
 * the Next.js server, and each dev reload, sees the same one). Dev sinks are on only where one
 * process both sends and shows mail: the embedded demo (PGlite, no Redis), `next dev`, and the
 * e2e run's single `next start` (Postgres and Redis, but the sender and /dev/mail are the same
 * process). Keeping the mails there needs no table or Redis key, keeps live tokens out of
 * shared stores, and forgets them on restart.
 */
const holder = globalThis as typeof globalThis & {
  __halfhourDevMailbox?: { next: number; mails: DevMail[] };
};

function mailbox() {
  holder.__halfhourDevMailbox ??= { next: 1, mails: [] };
  return holder.__halfhourDevMailbox;
}

/** Logs each mail to the server log and keeps it for /dev/mail. */
export function devMailSender(): MailSender {
  return {
    async send(message) {
      const box = mailbox();
      const mail: DevMail = { ...message, id: box.next++, sentAt: new Date() };
      box.mails.unshift(mail);
      box.mails.length = Math.min(box.mails.length, KEEP);
      console.info(
        `[mail] development sink: to ${message.to}, "${message.subject}" (see /dev/mail)\n${message.text}`,
      );
    },
  };
}

/** The kept mails, latest first; optionally only those to one address. */
export function devMails(to?: string): DevMail[] {
  const mails = mailbox().mails;
  return to ? mails.filter((m) => m.to === to) : [...mails];
}
