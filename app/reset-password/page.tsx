import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { accountTokenField } from "@/server/identity/accountTokenRules";
import { peekAccountToken } from "@/server/identity/accountTokens";
import { resetLinkProblem } from "@/server/identity/passwordReset";
import { ResetPasswordForm } from "../_components/ResetPasswordForm";

export const metadata: Metadata = { title: "Choose a new password", robots: { index: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The link in a password-reset mail. Only looks at the token (so a mail scanner opening the
 * link uses nothing); the form's submit uses it, with the new password, in one transaction.
 */
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const parsed = accountTokenField.safeParse(token);
  const state = parsed.success
    ? await peekAccountToken(getDb(), parsed.data, "reset_password", new Date())
    : "unknown";
  return (
    <div className="page narrow">
      <h1>Choose a new password</h1>
      {parsed.success && state === "usable" ? (
        <ResetPasswordForm token={parsed.data} />
      ) : (
        <div className="notice" role="alert" data-testid="reset-link-problem">
          <p>{resetLinkProblem(state === "usable" ? "unknown" : state)}</p>
          <p>
            <Link href="/forgot-password">Ask for a new link</Link>
          </p>
        </div>
      )}
    </div>
  );
}
