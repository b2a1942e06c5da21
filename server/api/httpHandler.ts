import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { AppSession } from "../identity/session";
import { RateLimited } from "../security/rateLimits";
import { appOriginOf, crossSiteRefusal, isCrossSiteRequest } from "../security/sameOrigin";
import { createRequestContext } from "./context";
import { appRouter } from "./root";

export const TRPC_ENDPOINT = "/api/trpc";

/**
 * The tRPC HTTP endpoint. The session reader is passed in so tests can drive the real handler
 * without a Next.js request scope.
 */
export async function handleTrpcRequest(
  req: Request,
  readSession: () => Promise<AppSession | null>,
) {
  // Mutations are POSTs (queries are GETs and change nothing): refuse those another site sent.
  if (req.method !== "GET" && isCrossSiteRequest(req.headers, appOriginOf(req))) {
    return crossSiteRefusal();
  }
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    // Calls made only of public queries never look at the viewer: skip decoding the session
    // cookie (and Auth.js's callbacks), the largest fixed cost of a widget request.
    createContext: ({ info }) =>
      createRequestContext(
        req,
        info.calls.length > 0 &&
          info.calls.every((c) => Object.hasOwn(PUBLIC_QUERY_LIFETIMES, c.path))
          ? async () => null
          : readSession,
      ),
    onError({ error, path, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(
          `[trpc] ${path ?? "?"} failed (request ${ctx?.requestId ?? "?"})`,
          error.cause ?? error,
        );
      }
    },
    responseMeta({ ctx, info, type, errors, eagerGeneration }) {
      const cacheable =
        req.method === "GET" && type === "query" && errors.length === 0 && !eagerGeneration;
      const paths = info?.calls.map((call) => call.path) ?? [];
      const headers = new Headers({
        "cache-control": (cacheable && publicCacheControl(paths)) || PRIVATE,
      });
      if (ctx?.requestId) headers.set("x-request-id", ctx.requestId);
      const retryAfter = Math.max(
        0,
        ...errors.map((e) => (e.cause instanceof RateLimited ? e.cause.retryAfterSeconds : 0)),
      );
      if (retryAfter > 0) headers.set("retry-after", String(retryAfter));
      return { headers };
    },
  });
}

const PRIVATE = "private, no-store";

interface HttpLifetime {
  /** Browser cache, seconds. */
  maxAge: number;
  /** Shared caches (CDN), seconds. */
  sMaxAge: number;
  /** How long a shared cache may serve it stale while refetching, seconds. */
  swr: number;
}

/**
 * Public queries whose answer is the same for every viewer (no session, no personal data), with
 * their HTTP lifetimes: short, because only the Redis entries are invalidated on a change.
 */
export const PUBLIC_QUERY_LIFETIMES: Readonly<Record<string, HttpLifetime>> = {
  "availability.free": { maxAge: 10, sMaxAge: 15, swr: 30 },
  "teachers.priceCard": { maxAge: 30, sMaxAge: 60, swr: 120 },
  "teachers.byId": { maxAge: 60, sMaxAge: 120, swr: 300 },
  "teachers.list": { maxAge: 30, sMaxAge: 60, swr: 120 },
  "search.teachers": { maxAge: 30, sMaxAge: 60, swr: 120 },
  "teachers.subjects": { maxAge: 300, sMaxAge: 3600, swr: 86_400 },
};

/**
 * `public, max-age=…` when every procedure of a (batched) GET is a public query, using the
 * shortest lifetime of the batch; null otherwise (the answer stays `private, no-store`).
 */
export function publicCacheControl(paths: readonly string[]): string | null {
  const lifetimes: HttpLifetime[] = [];
  for (const path of paths) {
    if (!Object.hasOwn(PUBLIC_QUERY_LIFETIMES, path)) return null;
    lifetimes.push(PUBLIC_QUERY_LIFETIMES[path]!);
  }
  if (lifetimes.length === 0) return null;
  const min = (pick: (l: HttpLifetime) => number) => Math.min(...lifetimes.map(pick));
  return `public, max-age=${min((l) => l.maxAge)}, s-maxage=${min((l) => l.sMaxAge)}, stale-while-revalidate=${min((l) => l.swr)}`;
}
