"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { afterSignInPath, signUpHref } from "./callbackUrl";
import { SsoButton } from "./SsoButton";

/** What a refused sign-in means to the person trying (codes from server/auth/guardSignIn). */
function passwordRefusalMessage(code: string | undefined): string {
  if (code === "rate_limited")
    return "Too many sign-in attempts. Wait a few minutes, then try again.";
  if (code === "unavailable") return "Sign-in is paused for a moment. Please try again shortly.";
  return "That email and password do not match an account.";
}

/**
 * Email and password; plus "Sign in with <provider>" when single sign-on is offered.
 * `cartHref`: the guest cart's checkout, where to go when no callback URL says otherwise.
 */
export function SignInForm(props: { ssoName: string | null; cartHref?: string | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Only same-site paths, so a crafted link cannot bounce a user to another site.
  const callbackUrl = afterSignInPath(params.get("callbackUrl"), props.cartHref);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setBusy(false);
    if (result?.error) {
      setError(passwordRefusalMessage(result.code));
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <form className="card form" onSubmit={onSubmit} noValidate>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <p className="small">
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {props.ssoName && (
        <>
          <p className="muted small center">or</p>
          <SsoButton label={`Sign in with ${props.ssoName}`} callbackUrl={callbackUrl} />
        </>
      )}
      <p className="muted small">
        New here?{" "}
        <Link href={callbackUrl === "/" ? "/sign-up" : signUpHref(callbackUrl)}>
          Create an account
        </Link>
      </p>
    </form>
  );
}
