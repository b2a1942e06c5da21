"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { afterSignInPath, signInHref } from "./callbackUrl";
import { SsoButton } from "./SsoButton";

/**
 * Name, email and password; plus "Sign up with <provider>" when single sign-on is offered.
 * `cartHref`: the guest cart's checkout, where to go when no callback URL says otherwise.
 */
export function SignUpForm(props: { ssoName: string | null; cartHref?: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  // Where the visitor was going (checkout, say): same-site paths only.
  const callbackUrl = afterSignInPath(useSearchParams().get("callbackUrl"), props.cartHref);
  const [formError, setFormError] = useState<string | null>(null);
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const fields = fieldErrorsFrom(signUp.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    try {
      await signUp.mutateAsync(input);
    } catch {
      return; // field errors render from signUp.error
    }
    const result = await signIn("credentials", {
      email: input.email,
      password: input.password,
      redirect: false,
    });
    if (result?.error) {
      setFormError("Your account was created, but signing in failed. Please sign in.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  const fieldError = (name: string) =>
    fields[name] && (
      <span className="error small" id={`${name}-error`}>
        {fields[name].join(" ")}
      </span>
    );

  return (
    <form className="card form" onSubmit={onSubmit} noValidate>
      <label>
        Name
        <input name="name" autoComplete="name" required aria-describedby="name-error" />
        {fieldError("name")}
      </label>
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-describedby="email-error"
        />
        {fieldError("email")}
      </label>
      <label>
        Password <span className="muted small">(at least 10 characters)</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-error"
        />
        {fieldError("password")}
      </label>
      {(formError || (signUp.error && Object.keys(fields).length === 0)) && (
        <p className="error" role="alert">
          {formError ?? signUp.error?.message}
        </p>
      )}
      <button type="submit" className="button" disabled={signUp.isPending}>
        {signUp.isPending ? "Creating…" : "Create account"}
      </button>
      {props.ssoName && (
        <>
          <p className="muted small center">or</p>
          <SsoButton label={`Sign up with ${props.ssoName}`} callbackUrl={callbackUrl} />
        </>
      )}
      <p className="muted small">
        Already have an account?{" "}
        <Link href={callbackUrl === "/" ? "/sign-in" : signInHref(callbackUrl)}>Sign in</Link>
      </p>
    </form>
  );
}
