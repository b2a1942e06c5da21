"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useTRPC } from "../_trpc/client";

/**
 * /me/account: sign out on every device — for a lost phone or a shared computer. Other
 * devices' sessions end at their next check (within a minute); this one signs out now.
 */
export function AccountSessionsSection() {
  const trpc = useTRPC();
  const revoke = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      onSuccess: () => signOut({ redirectTo: "/sign-in" }),
    }),
  );
  return (
    <section className="card" aria-labelledby="sessions">
      <h2 id="sessions">Sessions</h2>
      <p className="muted small">
        Signed in on a device you no longer use? Sign out everywhere: every device, this one
        included, will need to sign in again.
      </p>
      {revoke.error && (
        <p className="error" role="alert">
          {revoke.error.message}
        </p>
      )}
      <button
        type="button"
        className="button secondary"
        disabled={revoke.isPending || revoke.isSuccess}
        onClick={() => revoke.mutate()}
      >
        {revoke.isPending || revoke.isSuccess ? "Signing out…" : "Sign out everywhere"}
      </button>
    </section>
  );
}
