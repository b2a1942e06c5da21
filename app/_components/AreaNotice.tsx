"use client";

import { TRPCClientError } from "@trpc/client";
import Link from "next/link";
import { signInHref } from "./callbackUrl";

/** The HTTP status of a failed tRPC call, when the server answered one. */
export function httpStatusOf(error: unknown): number | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { httpStatus?: number } | undefined)?.httpStatus
    : undefined;
}

/** "a teacher", "an admin". */
export const aRole = (role: string | undefined) =>
  role ? (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`) : "another kind of account";

/**
 * What a page for one kind of account shows when its first query fails: a sign-in link for
 * visitors (401), the `forbidden` message for other roles (403), the server's message otherwise.
 */
export function AreaNotice(props: {
  error: { message: string };
  /** Who the page is for: "Sign in as a student to …". */
  audience: "student" | "teacher" | "admin";
  /** Where sign-in returns to (a same-site path, query included). */
  path: string;
  /** Completes "Sign in as a … to …". */
  purpose: string;
  /** Shown to signed-in users of another role. */
  forbidden: string;
}) {
  const status = httpStatusOf(props.error);
  if (status === 401) {
    return (
      <p className="notice" data-testid="sign-in-notice">
        <Link href={signInHref(props.path)}>Sign in</Link> as a {props.audience} to {props.purpose}.
      </p>
    );
  }
  return (
    <p className="notice" role="alert">
      {status === 403 ? props.forbidden : props.error.message}
    </p>
  );
}
