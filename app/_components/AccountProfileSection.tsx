"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";

/** /me/account: who the account is (the email has its own section, AccountEmailSection). */
export function AccountProfileSection() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.account.overview.queryOptions());
  return (
    <section className="card" aria-labelledby="account-profile">
      <h2 id="account-profile">Profile</h2>
      {overview.isError ? (
        <p className="error" role="alert">
          {overview.error.message}
        </p>
      ) : !overview.data ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" />
      ) : (
        <dl className="facts">
          <dt>Name</dt>
          <dd data-testid="account-name">{overview.data.name ?? "—"}</dd>
        </dl>
      )}
    </section>
  );
}
