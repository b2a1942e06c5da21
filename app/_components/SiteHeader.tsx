"use client";

import Link from "next/link";
import { useSession } from "next-auth/react";
import { SignOutButton } from "./SignOutButton";

/** Client-side so static pages never read the session while rendering. */
export function SiteHeader() {
  const { data, status } = useSession();
  const user = data?.user as { name?: string | null; role?: string } | undefined;
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Halfhour
      </Link>
      <nav aria-label="Account">
        <Link href="/search">Search</Link>
        {status === "loading" ? (
          <span className="muted">…</span>
        ) : user ? (
          <>
            {user.role === "teacher" && <Link href="/dashboard">Dashboard</Link>}
            {user.role === "student" && <Link href="/me/orders">Orders</Link>}
            <span className="who" data-testid="signed-in-as">
              {user.name ?? "Signed in"} <span className="badge">{user.role}</span>
            </span>
            <SignOutButton className="link-button" />
          </>
        ) : (
          <>
            <Link href="/sign-in">Sign in</Link>
            <Link href="/sign-up" className="button small">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
