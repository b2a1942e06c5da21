import { randomUUID } from "node:crypto";
import { type Database, getDb } from "../../db/client";
import { getCache } from "../cache";
import type { KeyValueCache } from "../cache/port";
import { env } from "../config/env";
import type { AppSession } from "../identity/session";
import { clientAddress } from "../security/clientAddress";
import type { RateLimiter } from "../security/rateLimits";

export interface Context {
  db: Database;
  cache: KeyValueCache;
  session: AppSession | null;
  requestId: string;
  /** The caller's network address, for per-address rate limits; absent outside HTTP. */
  clientAddress?: string;
  /** Overrides the process-wide rate limiter (tests). */
  rateLimiter?: RateLimiter;
}

/** A request id from a trusted proxy when it sent a sane one, else a fresh one. */
function requestIdFrom(headers: Headers | null): string {
  const given = headers?.get("x-request-id");
  return given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}

/** Context for an HTTP call: reads the session, so it is used only by the API route. */
export async function createRequestContext(
  req: Request,
  readSession: () => Promise<AppSession | null>,
): Promise<Context> {
  return {
    db: getDb(),
    cache: getCache(),
    session: await readSession(),
    requestId: requestIdFrom(req.headers),
    clientAddress: clientAddress(req.headers, env().HALFHOUR_PROXY_HOPS),
  };
}

/**
 * Context for rendering public data in server components: no headers, no cookies, no session,
 * so pages that use it stay static (ISR) and cacheable by a CDN.
 */
export function createPublicContext(): Context {
  return { db: getDb(), cache: getCache(), session: null, requestId: randomUUID() };
}
