"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";

/**
 * The account's email address on /me/account: verified (with when), or a notice with
 * "Resend verification email". Nothing is blocked for an unverified address yet; the notice is
 * the nudge.
 */
export function AccountEmailSection() {
  const trpc = useTRPC();
  const status = useQuery(trpc.account.emailStatus.queryOptions());
  const resend = useMutation(trpc.account.resendVerification.mutationOptions());

  return (
    <section
      className="card stack account-section"
      aria-labelledby="account-email"
      data-testid="account-email"
    >
      <h2 id="account-email">Email address</h2>
      {status.isPending ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" />
      ) : status.error ? (
        <p className="error" role="alert">
          {status.error.message}
        </p>
      ) : !status.data.email ? (
        <p className="muted">This account has no email address.</p>
      ) : status.data.verifiedAt ? (
        <p data-testid="email-verified">
          <strong>{status.data.email}</strong> <span className="tag">Verified</span>
        </p>
      ) : (
        <>
          <p>
            <strong>{status.data.email}</strong>
          </p>
          <div className="notice" data-testid="email-unverified">
            <p>
              Your email address is not verified yet. Open the link we mailed you to confirm it is
              yours: it is how we reach you about lessons and how you can reset your password.
            </p>
            {resend.isSuccess ? (
              <p role="status">We sent a new link to {status.data.email}. It works for 24 hours.</p>
            ) : (
              <button
                type="button"
                className="button small"
                onClick={() => resend.mutate()}
                disabled={resend.isPending}
              >
                {resend.isPending ? "Sending…" : "Resend verification email"}
              </button>
            )}
            {resend.error && (
              <p className="error" role="alert">
                {resend.error.message}
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
