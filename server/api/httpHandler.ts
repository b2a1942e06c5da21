import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { AppSession } from "../identity/session";
import { createRequestContext } from "./context";
import { appRouter } from "./root";

export const TRPC_ENDPOINT = "/api/trpc";

/**
 * The tRPC HTTP endpoint. The session reader is passed in so tests can drive the real handler
 * without a Next.js request scope.
 */
export function handleTrpcRequest(req: Request, readSession: () => Promise<AppSession | null>) {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext: () => createRequestContext(req, readSession),
    onError({ error, path, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(
          `[trpc] ${path ?? "?"} failed (request ${ctx?.requestId ?? "?"})`,
          error.cause ?? error,
        );
      }
    },
    responseMeta({ ctx }) {
      // Personal or not, API answers are not cached until a procedure opts in (read path issue).
      const headers = new Headers({ "cache-control": "private, no-store" });
      if (ctx?.requestId) headers.set("x-request-id", ctx.requestId);
      return { headers };
    },
  });
}
