import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getCache } from "@/server/cache";
import { devSinksEnabled } from "@/server/config/deployment";
import { env } from "@/server/config/env";
import { normalizePhone } from "@/server/identity/phoneNumber";
import { DEV_SMS_SHOWN, devSmsNamespace, recentDevSms } from "@/server/sms/devSmsSink";

export const metadata: Metadata = {
  title: "Text messages (development)",
  robots: { index: false },
};
// Read at request time: messages arrive after the build, and the page exists only where dev
// sinks are on (proxy.ts answers 404 elsewhere, before this runs).
export const dynamic = "force-dynamic";

type SearchParams = Promise<{ to?: string | string[] }>;

/**
 * The development SMS sink (server/sms/devSmsSink.ts): the latest text messages this
 * deployment "sent", newest first, optionally for one number (?to=+447700900123).
 */
export default async function DevSmsPage({ searchParams }: { searchParams: SearchParams }) {
  if (!devSinksEnabled()) notFound();
  const { to } = await searchParams;
  // An unencoded "+" in a query string arrives as a space: read it back as the plus it was.
  const typed = typeof to === "string" ? to.trim() : "";
  const only = typed ? normalizePhone(/^\d/.test(typed) ? `+${typed}` : typed) : null;
  const messages = await recentDevSms(getCache(), devSmsNamespace(env().DATABASE_URL), {
    to: only,
  });

  return (
    <div className="page">
      <h1>Text messages (development)</h1>
      <p className="notice">
        Nothing here was sent to a phone: this server uses the development SMS sender, which writes
        each message to the server log and lists the latest {DEV_SMS_SHOWN} here for an hour.
        Production servers send through Twilio and have no such page.
      </p>
      {only && (
        <p>
          Messages to <strong>{only}</strong> only. <Link href="/dev/sms">Show all</Link>
        </p>
      )}
      {messages.length === 0 ? (
        <p className="muted" data-testid="dev-sms-empty">
          No messages yet.
        </p>
      ) : (
        <table className="card" style={{ width: "100%" }}>
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Message</th>
              <th scope="col">Sent (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.seq} data-testid="dev-sms" data-to={m.to}>
                <td>{m.to}</td>
                <td data-testid="dev-sms-text">{m.text}</td>
                <td>
                  <time dateTime={m.sentAt}>{m.sentAt.replace("T", " ").slice(0, 19)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
