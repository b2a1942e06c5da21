"use client";

import Link from "next/link";
import { useSession } from "next-auth/react";
import type { ReactNode } from "react";
import { signInHref } from "./callbackUrl";

/** For pages every signed-in account may use (of any role): a sign-in link for visitors. */
export function SignedInGate(props: {
  /** Where sign-in returns to. */
  path: string;
  /** Completes "Sign in to …". */
  purpose: string;
  children: ReactNode;
}) {
  const { data, status } = useSession();
  if (status === "loading") {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (status === "unauthenticated" || !data) {
    return (
      <p className="notice">
        <Link href={signInHref(props.path)}>Sign in</Link> to {props.purpose}.
      </p>
    );
  }
  return <>{props.children}</>;
}
