import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "../server/config/env";
import * as schema from "./schema";

type Schema = typeof schema;
type Relations = ExtractTablesWithRelations<Schema>;

/** One type for both drivers: services never know which Postgres they talk to. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, Relations>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, Relations>;
/** Anything a query can run on: the database, or the caller's open transaction. */
export type Executor = Database | Transaction;

/**
 * Rows of a raw SQL query on either driver (postgres-js answers an array, PGlite an object
 * with `rows`). Prefer the query builder; this is for SQL it cannot express.
 */
export async function queryRows<T extends Record<string, unknown>>(
  db: Executor,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

export interface DatabaseHandle {
  db: Database;
  driver: "postgres" | "pglite";
  close(): Promise<void>;
}

const casing = "snake_case" as const;

export function connectPostgres(url: string, poolMax = env().DATABASE_POOL_MAX): DatabaseHandle {
  const client = postgres(url, {
    max: poolMax,
    onnotice: () => {},
    connection: { application_name: "halfhour" },
  });
  return {
    db: drizzlePostgres(client, { schema, casing }) as unknown as Database,
    driver: "postgres",
    close: () => client.end({ timeout: 5 }),
  };
}

/** Embedded Postgres (PGlite): a directory for the demo, or in memory when `dataDir` is omitted. */
export function openPglite(dataDir?: string): DatabaseHandle {
  if (dataDir) mkdirSync(path.dirname(dataDir), { recursive: true });
  // Options go in the first argument: `new PGlite(undefined, options)` ignores them.
  const client = new PGlite({
    dataDir,
    // Keep int8 as text so 64-bit ids never pass through a lossy JS number.
    parsers: { [types.INT8]: (value: string) => value },
    // Search (server/catalog/search*) needs trigram matching, lessons' no-overlap constraints
    // need btree_gist; the migrations create them.
    extensions: { pg_trgm, btree_gist },
  });
  return {
    db: drizzlePglite(client, { schema, casing }) as unknown as Database,
    driver: "pglite",
    close: () => client.close(),
  };
}

const holder = globalThis as unknown as { halfhourDatabase?: DatabaseHandle };

/** The process-wide database; kept on globalThis so dev-server reloads reuse one pool. */
export function databaseHandle(): DatabaseHandle {
  if (!holder.halfhourDatabase) {
    const { DATABASE_URL, EMBEDDED_DATA_DIR } = env();
    holder.halfhourDatabase = DATABASE_URL
      ? connectPostgres(DATABASE_URL)
      : openPglite(path.resolve(EMBEDDED_DATA_DIR, "pglite"));
  }
  return holder.halfhourDatabase;
}

export const getDb = (): Database => databaseHandle().db;

export { schema };
