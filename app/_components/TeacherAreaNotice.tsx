"use client";

import { TRPCClientError } from "@trpc/client";
import Link from "next/link";

/**
 * What a teacher-only page shows when its first query fails: a sign-in link for visitors
 * (401), "this is for teachers" for other roles (403), the server's message otherwise.
 */
export function TeacherAreaNotice(props: {
  error: { message: string };
  /** Where sign-in returns to. */
  path: string;
  /** Completes "Sign in as a teacher to …". */
  purpose: string;
  /** Shown to signed-in users who are not teachers. */
  forbidden: string;
}) {
  const status = props.error instanceof TRPCClientError ? props.error.data?.httpStatus : undefined;
  if (status === 401) {
    return (
      <p className="notice">
        <Link href={`/sign-in?callbackUrl=${props.path}`}>Sign in</Link> as a teacher to{" "}
        {props.purpose}.
      </p>
    );
  }
  return (
    <p className="notice" role="alert">
      {status === 403 ? props.forbidden : props.error.message}
    </p>
  );
}
