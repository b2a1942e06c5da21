"use client";

import { AreaNotice } from "./AreaNotice";

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
  return <AreaNotice audience="teacher" {...props} />;
}
