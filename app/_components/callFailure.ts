import { TRPCClientError } from "@trpc/client";
import type { CallFailure } from "./checkoutErrors";

/** What a failed tRPC call said: its message, HTTP status and field errors. */
export function callFailureOf(error: { message: string }): CallFailure {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      | { httpStatus?: number; fieldErrors?: Record<string, string[]> | null }
      | undefined;
    return { message: error.message, httpStatus: data?.httpStatus, fieldErrors: data?.fieldErrors };
  }
  return { message: error.message };
}
