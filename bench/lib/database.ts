import postgres from "postgres";
import { connectPostgres, type DatabaseHandle } from "../../db/client";
import { migrateDatabase } from "../../db/migrator";

/** Where benchmarks create their own databases; never the app's or the tests'. */
export const adminUrl =
  process.env.BENCH_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs statements that cannot run in a transaction (CREATE/DROP DATABASE, VACUUM, CHECKPOINT). */
export async function adminRun(statement: string, url = adminUrl): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

export async function recreateDatabase(name: string): Promise<void> {
  await adminRun(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminRun(`CREATE DATABASE "${name}"`);
}

export async function dropDatabase(name: string): Promise<void> {
  await adminRun(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** A fresh database with the app's migrations applied, and a pool of `poolMax` on it. */
export async function freshAppDatabase(name: string, poolMax: number): Promise<DatabaseHandle> {
  await recreateDatabase(name);
  const migrator = connectPostgres(databaseUrl(name), 1);
  try {
    await migrateDatabase(migrator);
  } finally {
    await migrator.close();
  }
  return connectPostgres(databaseUrl(name), poolMax);
}
