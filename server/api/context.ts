import { randomUUID } from "node:crypto";
import { type Database, getDb } from "../../db/client";
import { getCache } from "../cache";
import type { KeyValueCache } from "../cache/port";
import type { AppSession } from "../identity/session";

export interface Context {
  db: Database;
  cache: KeyValueCache;
  session: AppSession | null;
  requestId: string;
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
  };
}

/**
 * Context for rendering public data in server components: no headers, no cookies, no session,
 * so pages that use it stay static (ISR) and cacheable by a CDN.
 */
export function createPublicContext(): Context {
  return { db: getDb(), cache: getCache(), session: null, requestId: randomUUID() };
}
