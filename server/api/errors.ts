import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { findPostgresError } from "../../db/postgresError";
import { DomainError, type DomainErrorKind } from "../domainError";

const CODE_BY_KIND: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  unavailable: "SERVICE_UNAVAILABLE",
  rate_limited: "TOO_MANY_REQUESTS",
};

/** Postgres unreachable or restarting: the request may be retried, so answer 503, not 500. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  return findPostgresError(error, UNAVAILABLE_CODES) !== null;
}

/** Turns what a service threw into the error the client should see; null when unknown. */
export function toClientError(cause: unknown): TRPCError | null {
  if (cause instanceof DomainError) {
    return new TRPCError({ code: CODE_BY_KIND[cause.kind], message: cause.message, cause });
  }
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The service is temporarily unavailable; nothing was changed. Please try again.",
      cause,
    });
  }
  return null;
}

/** Field → messages, from input validation or from a service error about one field. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> | null {
  if (error instanceof ZodError) {
    const out: Record<string, string[]> = {};
    for (const issue of error.issues) {
      const field = issue.path.length ? issue.path.join(".") : "input";
      out[field] = [...(out[field] ?? []), issue.message];
    }
    return out;
  }
  if (error instanceof DomainError && error.field) return { [error.field]: [error.message] };
  return null;
}

/** "id: Expected a teacher id; page: Too small" — a message that names the fields. */
export function describeFieldErrors(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
    .join("; ");
}
