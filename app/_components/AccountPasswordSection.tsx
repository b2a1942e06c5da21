"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { signIn, useSession } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";

/**
 * "Change password" on /me/account. A change ends every session of the account (the session
 * generation is bumped), this one too; so right after it the page signs in again with the new
 * password, which starts a session of the new generation.
 */
export function AccountPasswordSection() {
  const trpc = useTRPC();
  const { data: session } = useSession();
  const email = session?.user?.email ?? null;
  const overview = useQuery(trpc.account.overview.queryOptions());
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const [note, setNote] = useState<string | null>(null);
  const fields = fieldErrorsFrom(change.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
    };
    setNote(null);
    try {
      await change.mutateAsync(input);
    } catch {
      return; // errors render from change.error
    }
    formElement.reset();
    const again = email
      ? await signIn("credentials", { email, password: input.newPassword, redirect: false })
      : null;
    setNote(
      again && !again.error
        ? "Your password was changed. Other devices are signed out."
        : "Your password was changed. Please sign in again with the new password.",
    );
  }

  const fieldError = (name: string) =>
    fields[name] && (
      <span className="error small" id={`${name}-error`}>
        {fields[name].join(" ")}
      </span>
    );

  // An account that signs in only by phone or SSO has no current password to give.
  if (overview.data && !overview.data.methods.hasPassword) {
    return (
      <section
        className="card stack account-section"
        aria-labelledby="account-password"
        data-testid="account-password"
      >
        <h2 id="account-password">Password</h2>
        <p className="muted">
          This account has no password: it signs in with{" "}
          {overview.data.methods.ssoProviders.length > 0 ? "single sign-on" : "a code by text"}.
          {overview.data.email
            ? " To add one, use “Forgot your password?” on the sign-in page: the link mailed to you sets it."
            : ""}
        </p>
      </section>
    );
  }

  return (
    <section
      className="card stack account-section"
      aria-labelledby="account-password"
      data-testid="account-password"
    >
      <h2 id="account-password">Change password</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <label>
          Current password
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
            aria-describedby="currentPassword-error"
          />
          {fieldError("currentPassword")}
        </label>
        <label>
          New password <span className="muted small">(at least 10 characters)</span>
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby="newPassword-error"
          />
          {fieldError("newPassword")}
        </label>
        {change.error && Object.keys(fields).length === 0 && (
          <p className="error" role="alert">
            {change.error.message}
          </p>
        )}
        {note && (
          <p role="status" data-testid="password-changed">
            {note}
          </p>
        )}
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? "Saving…" : "Change password"}
        </button>
      </form>
    </section>
  );
}
