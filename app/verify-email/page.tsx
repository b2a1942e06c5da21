import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { accountTokenField } from "@/server/identity/accountTokenRules";
import { type VerifyEmailOutcome, verifyEmail } from "@/server/identity/emailVerification";

export const metadata: Metadata = { title: "Verify your email", robots: { index: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const OUTCOMES: Record<VerifyEmailOutcome, { ok: boolean; title: string; text: string }> = {
  verified: { ok: true, title: "Your email address is verified", text: "Thank you." },
  already_verified: {
    ok: true,
    title: "Your email address is verified",
    text: "This link was already used, and the address is verified.",
  },
  email_changed: {
    ok: false,
    title: "This link is for another address",
    text: "The account's email address changed after this link was sent. Send a new link from your account page.",
  },
  used: {
    ok: false,
    title: "This link was already used",
    text: "Send a new link from your account page if your address is not verified yet.",
  },
  expired: {
    ok: false,
    title: "This link has expired",
    text: "Links work for 24 hours, and only the latest one. Send a new link from your account page.",
  },
  unknown: {
    ok: false,
    title: "This link is not valid",
    text: "Open the latest link from the email, or send a new one from your account page.",
  },
};

/**
 * The link in a verification mail. Opening it verifies (in one transaction, see
 * server/identity/emailVerification.ts): the token in the link is the proof, so no sign-in is
 * needed. Rendered per request; a second opening says so instead of failing.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const parsed = accountTokenField.safeParse(token);
  const outcome = parsed.success ? await verifyEmail(getDb(), parsed.data) : "unknown";
  const shown = OUTCOMES[outcome];
  return (
    <div className="page narrow">
      <h1>Email verification</h1>
      <div
        className={shown.ok ? "notice success" : "notice"}
        role={shown.ok ? "status" : "alert"}
        data-testid="verify-email-outcome"
        data-outcome={outcome}
      >
        <p>
          <strong>{shown.title}</strong>
        </p>
        <p>{shown.text}</p>
      </div>
      <p>
        <Link href="/me/account">Go to your account</Link>
      </p>
    </div>
  );
}
