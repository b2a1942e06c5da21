import { connectPostgres } from "../../db/client";
import { migrateDatabase } from "../../db/migrator";
import {
  adminClient,
  assertPostgresReachable,
  databaseUrl,
  TEMPLATE_DATABASE,
  WORKER_DATABASE_PREFIX,
} from "./testDatabases";

/** Runs once per `vitest run`: a freshly migrated template database for the workers to clone. */
export default async function setup() {
  await assertPostgresReachable();
  const sql = adminClient();
  try {
    const stale = await sql<{ datname: string }[]>`
      SELECT datname FROM pg_database
      WHERE datname LIKE ${`${WORKER_DATABASE_PREFIX}%`} OR datname LIKE 'halfhour_test_tmp_%'`;
    for (const { datname } of stale) await sql.unsafe(`DROP DATABASE "${datname}" WITH (FORCE)`);
    await sql.unsafe(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  } finally {
    await sql.end();
  }
  const handle = connectPostgres(databaseUrl(TEMPLATE_DATABASE), 1);
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  return teardown;
}

async function teardown() {
  const sql = adminClient();
  try {
    const left = await sql<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE datname LIKE ${`${WORKER_DATABASE_PREFIX}%`}`;
    for (const { datname } of left) await sql.unsafe(`DROP DATABASE "${datname}" WITH (FORCE)`);
  } finally {
    await sql.end();
  }
}
