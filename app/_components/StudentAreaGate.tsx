"use client";

import Link from "next/link";
import { useSession } from "next-auth/react";
import type { ReactNode } from "react";
import { signInHref } from "./callbackUrl";

/**
 * For student pages whose queries also answer other roles (the timetable serves teachers
 * too), so a 403 cannot tell AreaNotice who is looking; decided from the session instead: a sign-in link for visitors, "this is for students" (with where to go instead)
 * for other roles, the page itself for students.
 */
export function StudentAreaGate(props: {
  /** Where sign-in returns to. */
  path: string;
  /** Completes "Sign in as a student to …". */
  purpose: string;
  /** Shown to signed-in users who are not students. */
  forbidden: ReactNode;
  children: ReactNode;
}) {
  const { data, status } = useSession();
  const role = (data?.user as { role?: string } | undefined)?.role;
  if (status === "loading") {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (status === "unauthenticated" || !data) {
    return (
      <p className="notice">
        <Link href={signInHref(props.path)}>Sign in</Link> as a student to {props.purpose}.
      </p>
    );
  }
  if (role !== "student") {
    return (
      <p className="notice" role="alert">
        {props.forbidden}
      </p>
    );
  }
  return <>{props.children}</>;
}
