"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";

/** The new password of /reset-password; the token in the link is used when it is submitted. */
export function ResetPasswordForm(props: { token: string }) {
  const trpc = useTRPC();
  const reset = useMutation(trpc.account.resetPassword.mutationOptions());
  const [mismatch, setMismatch] = useState(false);
  const fields = fieldErrorsFrom(reset.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const repeated = String(form.get("repeat") ?? "");
    setMismatch(password !== repeated);
    if (password !== repeated) return;
    reset.mutate({ token: props.token, password });
  }

  if (reset.isSuccess) {
    return (
      <div className="notice" role="status" data-testid="password-reset-done">
        <p>
          <strong>Your password was changed.</strong> Every device that was signed in to your
          account is signed out.
        </p>
        <p>
          <Link href="/sign-in">Sign in with your new password</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="card form" onSubmit={onSubmit} noValidate>
      <label>
        New password <span className="muted small">(at least 10 characters)</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-error"
        />
        {fields.password && (
          <span className="error small" id="password-error">
            {fields.password.join(" ")}
          </span>
        )}
      </label>
      <label>
        Repeat the new password
        <input
          name="repeat"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="repeat-error"
        />
        {mismatch && (
          <span className="error small" id="repeat-error">
            The two passwords differ
          </span>
        )}
      </label>
      {reset.error && !fields.password && (
        <div className="error" role="alert">
          <p>{fields.token?.join(" ") ?? reset.error.message}</p>
          {fields.token && <Link href="/forgot-password">Ask for a new link</Link>}
        </div>
      )}
      <button type="submit" className="button" disabled={reset.isPending}>
        {reset.isPending ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}
