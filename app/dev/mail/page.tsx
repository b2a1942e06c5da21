import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Fragment } from "react";
import { devSinksEnabled } from "@/server/config/deployment";
import { devMails } from "@/server/mail/devMailbox";

export const metadata: Metadata = { title: "Development mailbox", robots: { index: false } };

/** A whitespace-separated word that is a link: absolute, or a path (mails without AUTH_URL). */
const LINK = /^(?:https?:\/\/\S+|\/[\w-]+\?\S+)$/;

/** The mail's text with its links clickable; everything else as plain text. */
function MailText({ text }: { text: string }) {
  const parts = text.split(/(\s+)/);
  return (
    <pre className="dev-mail-text">
      {parts.map((part, i) =>
        LINK.test(part) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed text
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed text
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </pre>
  );
}

/**
 * Development only (404 unless dev sinks are on: the embedded demo, `next dev`, e2e runs): the
 * mails the app would have sent, latest first, kept in this server process's memory.
 */
export default async function DevMailPage() {
  await connection();
  if (!devSinksEnabled()) notFound();
  const mails = devMails();
  return (
    <div className="page">
      <h1>Development mailbox</h1>
      <p className="muted small">
        Mails are not sent in development: they are logged and kept here (the last 50, until the
        server restarts).
      </p>
      {mails.length === 0 ? (
        <p className="empty">No mail yet.</p>
      ) : (
        <ol className="stack dev-mailbox" data-testid="dev-mailbox">
          {mails.map((mail) => (
            <li key={mail.id} className="card" data-testid="dev-mail" data-to={mail.to}>
              <p className="small muted">
                To <strong>{mail.to}</strong> · {mail.sentAt.toISOString()}
              </p>
              <h2>{mail.subject}</h2>
              <MailText text={mail.text} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
