import postgres from "postgres";

/** Where tests create their databases: TEST_DATABASE_ADMIN_URL, else local Postgres. */
export const adminUrl =
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Every `vitest run` names its databases after itself ("halfhour_test_<epoch>_<pid>_…"), so
 * two runs on one server (two developers, CI) never drop each other's databases.
 */
export const RUN_PREFIX = "halfhour_test_";
export const newRunId = () => `${Math.floor(Date.now() / 1000)}_${process.pid}`;

function runId(): string {
  const id = process.env.HALFHOUR_TEST_RUN;
  if (!id) throw new Error("HALFHOUR_TEST_RUN is not set: run tests through vitest's global setup");
  return id;
}

export const templateDatabase = (run = runId()) => `${RUN_PREFIX}${run}_tpl`;
/** A database of this run for one purpose, e.g. a worker or a throwaway copy. */
export const runDatabase = (suffix: string) => `${RUN_PREFIX}${runId()}_${suffix}`;

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function adminClient() {
  return postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
}

/** A clear message instead of a stack trace when Postgres is not there. */
export async function assertPostgresReachable(): Promise<void> {
  const sql = adminClient();
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(
      `Postgres is not reachable at ${adminUrl} (${(error as Error).message}). ` +
        "Start it (e.g. `pg_ctlcluster 15 main start`) or set TEST_DATABASE_ADMIN_URL.",
    );
  } finally {
    await sql.end();
  }
}

/** CREATE DATABASE … TEMPLATE, retried while another worker is copying the same template. */
export async function cloneTemplate(name: string): Promise<void> {
  const sql = adminClient();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await sql.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await sql.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  const sql = adminClient();
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await sql.end();
  }
}
