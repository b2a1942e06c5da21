import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { KeyValueCache } from "../cache/port";

/**
 * Readiness for load balancers and the test harness. Postgres down means not ready (writes
 * would fail); a cache outage only degrades speed, so it is reported but still ready.
 */
export async function checkHealth(db: Database, cache: KeyValueCache) {
  const [database, cacheUp] = await Promise.all([
    db.execute(sql`select 1`).then(
      () => true,
      () => false,
    ),
    cache.ping(),
  ]);
  return {
    ready: database,
    database: database ? "up" : "down",
    cache: `${cache.kind}:${cacheUp ? "up" : "down"}`,
  } as const;
}
