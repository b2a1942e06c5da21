import type { Metadata } from "next";
import { Suspense } from "react";
import { oidcSettings } from "@/server/config/env";
import { signInErrorMessage } from "@/server/identity/ssoLinking";
import { SignInForm } from "../_components/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

/**
 * Rendered per request (it reads the query): whether single sign-on is offered comes from the
 * server's settings at run time, and an `error` left by a refused or cancelled SSO sign-in is
 * explained above the form.
 */
export default async function SignInPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { error } = await props.searchParams;
  const sso = oidcSettings();
  const message = signInErrorMessage(
    typeof error === "string" ? error : null,
    sso?.name ?? "Single sign-on",
  );
  return (
    <div className="page narrow">
      <h1>Sign in</h1>
      {message && (
        <p className="notice" role="alert" data-testid="sign-in-error">
          {message}
        </p>
      )}
      <Suspense>
        <SignInForm ssoName={sso?.name ?? null} />
      </Suspense>
    </div>
  );
}
