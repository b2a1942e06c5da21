"use client";

import { signIn } from "next-auth/react";
import { useEffect, useState } from "react";
import { SSO_PROVIDER } from "../../server/identity/ssoLinking";
import { safeCallbackUrl } from "./callbackUrl";

/**
 * Starts single sign-on: Auth.js answers our own endpoint with the provider's authorisation
 * URL and the browser navigates there. Signed in, the same flow links the identity to the
 * account instead. Disabled until hydrated, since a click before would do nothing.
 */
export function SsoButton(props: { label: string; callbackUrl: string; className?: string }) {
  const [hydrated, setHydrated] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <button
      type="button"
      className={props.className ?? "button secondary"}
      disabled={!hydrated || busy}
      aria-busy={busy}
      onClick={() => {
        setBusy(true);
        void signIn(SSO_PROVIDER, { redirectTo: safeCallbackUrl(props.callbackUrl) });
      }}
    >
      {props.label}
    </button>
  );
}
