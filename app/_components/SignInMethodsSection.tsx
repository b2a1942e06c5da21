"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { SSO_PROVIDER, signInErrorMessage } from "../../server/identity/ssoLinking";
import { useTRPC } from "../_trpc/client";
import { SsoButton } from "./SsoButton";

/**
 * /me/account: the ways this account signs in — password (set or not) and single sign-on
 * (link, unlink). Back from linking, the URL says `linked=sso` or carries the refusal's
 * `error` code.
 */
export function SignInMethodsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const overview = useQuery(trpc.account.overview.queryOptions());
  const unlink = useMutation(
    trpc.account.unlinkSso.mutationOptions({
      onSuccess: async () => {
        // The "linked" notice from the URL would now be wrong.
        router.replace(pathname);
        await queryClient.invalidateQueries(trpc.account.overview.queryFilter());
      },
    }),
  );

  if (overview.isError) {
    return (
      <section className="card" aria-labelledby="sign-in-methods">
        <h2 id="sign-in-methods">Sign-in methods</h2>
        <p className="error" role="alert">
          {overview.error.message}
        </p>
      </section>
    );
  }
  if (!overview.data) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }

  const { methods, sso } = overview.data;
  const linked = methods.ssoProviders.includes(SSO_PROVIDER);
  const error = signInErrorMessage(params.get("error"), sso.name);
  const justLinked = linked && params.get("linked") === "sso";
  const via = sso.name === "Single sign-on" ? "" : ` with ${sso.name}`;

  return (
    <section className="card" aria-labelledby="sign-in-methods">
      <h2 id="sign-in-methods">Sign-in methods</h2>
      <dl className="facts">
        <dt>Password</dt>
        <dd data-testid="password-status">{methods.hasPassword ? "Set" : "Not set"}</dd>
        {(sso.offered || linked) && (
          <>
            <dt>Single sign-on</dt>
            <dd>
              <span data-testid="sso-status">{linked ? "Linked" : "Not linked"}</span>
              {via && <span className="muted small">{via}</span>}
            </dd>
          </>
        )}
      </dl>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {justLinked && !unlink.isPending && (
        <p className="success" role="status">
          Single sign-on{via} is linked: you can now sign in with it.
        </p>
      )}
      {unlink.error && (
        <p className="error" role="alert">
          {unlink.error.message}
        </p>
      )}
      <div className="row">
        {linked ? (
          <button
            type="button"
            className="button secondary"
            disabled={unlink.isPending}
            onClick={() => unlink.mutate()}
          >
            {unlink.isPending ? "Unlinking…" : "Unlink single sign-on"}
          </button>
        ) : (
          sso.offered && (
            <SsoButton label="Link single sign-on" callbackUrl="/me/account?linked=sso" />
          )
        )}
      </div>
    </section>
  );
}
