"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useSession } from "next-auth/react";
import type { ReactNode } from "react";
import { SignOutButton } from "./SignOutButton";

/** A header link that tells assistive technology (and the styles) which page is open. */
function NavLink(props: { href: string; children: ReactNode }) {
  const current = usePathname() === props.href;
  return (
    <Link href={props.href} aria-current={current ? "page" : undefined}>
      {props.children}
    </Link>
  );
}

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
        <NavLink href="/search">Search</NavLink>
        {status === "loading" ? (
          <span className="muted">…</span>
        ) : user ? (
          <>
            {user.role === "teacher" && (
              <>
                <NavLink href="/dashboard">Dashboard</NavLink>
                <NavLink href="/dashboard/timetable">Timetable</NavLink>
                <NavLink href="/dashboard/earnings">Earnings</NavLink>
              </>
            )}
            {user.role === "admin" && <NavLink href="/admin/refunds">Admin</NavLink>}
            {user.role === "student" && (
              <>
                <NavLink href="/teach">Teach</NavLink>
                <NavLink href="/me/timetable">Timetable</NavLink>
                <NavLink href="/me/orders">Orders</NavLink>
                <NavLink href="/me/wallet">Wallet</NavLink>
                <NavLink href="/me/coupons">Coupons</NavLink>
              </>
            )}
            <NavLink href="/me/account">Account</NavLink>
            <span className="who" data-testid="signed-in-as">
              {user.name ?? "Signed in"} <span className="badge">{user.role}</span>
            </span>
            <SignOutButton className="link-button" />
          </>
        ) : (
          <>
            <NavLink href="/teach">Teach</NavLink>
            <NavLink href="/sign-in">Sign in</NavLink>
            <Link href="/sign-up" className="button small">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
