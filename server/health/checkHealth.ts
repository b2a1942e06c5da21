import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { KeyValueCache } from "../cache/port";

export type HealthStatus = "ok" | "degraded" | "down";

export interface Health {
  /** ok: all up. degraded: the cache is down, reads fall through to Postgres. down: no Postgres. */
  status: HealthStatus;
  database: "up" | "down";
  /** `<kind>:up|down`, e.g. `redis:down`. */
  cache: string;
}

/**
 * Readiness for load balancers and the test harness. Postgres down means not ready (writes and
 * uncached reads fail): "down", HTTP 503. A cache outage only costs speed: "degraded", still
 * ready (HTTP 200).
 */
export async function checkHealth(db: Database, cache: KeyValueCache): Promise<Health> {
  const [database, cacheUp] = await Promise.all([databaseAnswers(db), cache.ping()]);
  return {
    status: !database ? "down" : cacheUp ? "ok" : "degraded",
    database: database ? "up" : "down",
    cache: `${cache.kind}:${cacheUp ? "up" : "down"}`,
  };
}

/** A probe must answer quickly: a Postgres that does not answer in time counts as down. */
const DATABASE_PROBE_MS = 2_000;

function databaseAnswers(db: Database): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_PROBE_MS);
  });
  const query = db.execute(sql`select 1`).then(
    () => true,
    () => false,
  );
  return Promise.race([query, timeout]).finally(() => clearTimeout(timer));
}

/** The HTTP status of a health answer: 503 only when not ready. */
export const healthHttpStatus = (health: Health) => (health.status === "down" ? 503 : 200);
