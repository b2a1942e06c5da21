"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { FormEvent } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";

/** The email field of /forgot-password; the answer is the same whether an account exists or not. */
export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  const fields = fieldErrorsFrom(request.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    request.mutate({ email: String(form.get("email") ?? "") });
  }

  if (request.isSuccess) {
    return (
      <div className="notice" role="status" data-testid="reset-requested">
        <p>{request.data.message}</p>
        <p>
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="card form" onSubmit={onSubmit} noValidate>
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-describedby="email-error"
        />
        {fields.email && (
          <span className="error small" id="email-error">
            {fields.email.join(" ")}
          </span>
        )}
      </label>
      {request.error && !fields.email && (
        <p className="error" role="alert">
          {request.error.message}
        </p>
      )}
      <button type="submit" className="button" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Send me a link"}
      </button>
      <p className="muted small">
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </form>
  );
}
