import type { TestProject } from "vitest/node";
import { connectPostgres } from "../../db/client";
import { migrateDatabase } from "../../db/migrator";
import {
  adminClient,
  assertPostgresReachable,
  databaseUrl,
  newRunId,
  RUN_PREFIX,
  templateDatabase,
} from "./testDatabases";

declare module "vitest" {
  export interface ProvidedContext {
    testRun: string;
  }
}

/** Databases of runs older than this are leftovers of a crashed run. */
const STALE_AFTER_SECONDS = 3 * 3600;

/**
 * Shared by the projects of one `vitest run` (main and races): one template, prepared once,
 * dropped with the run's databases when the last project tears down.
 */
const shared = globalThis as unknown as {
  halfhourTestRun?: { ready: Promise<string>; users: number };
};

/** Runs once per `vitest run`: a freshly migrated template database for the workers to clone. */
export default async function setup(project: TestProject) {
  shared.halfhourTestRun ??= { ready: prepareTemplate(), users: 0 };
  const state = shared.halfhourTestRun;
  state.users += 1;
  const run = await state.ready;
  project.provide("testRun", run);
  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    shared.halfhourTestRun = undefined;
    const end = adminClient();
    try {
      await dropDatabases(end, (name) => name.startsWith(`${RUN_PREFIX}${run}_`));
    } finally {
      await end.end();
    }
  };
}

async function prepareTemplate(): Promise<string> {
  await assertPostgresReachable();
  const run = newRunId();
  const template = templateDatabase(run);
  const sql = adminClient();
  try {
    await dropDatabases(sql, (name) => {
      const epoch = Number(/^halfhour_test_(\d+)_/.exec(name)?.[1]);
      return !epoch || epoch < Date.now() / 1000 - STALE_AFTER_SECONDS;
    });
    await sql.unsafe(`CREATE DATABASE "${template}"`);
  } finally {
    await sql.end();
  }
  const handle = connectPostgres(databaseUrl(template), 1);
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  return run;
}

async function dropDatabases(
  sql: ReturnType<typeof adminClient>,
  select: (name: string) => boolean,
) {
  const rows = await sql<{ datname: string }[]>`
    SELECT datname FROM pg_database WHERE datname LIKE ${`${RUN_PREFIX}%`}`;
  for (const { datname } of rows) {
    if (select(datname)) await sql.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}
