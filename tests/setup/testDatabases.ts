import postgres from "postgres";

/** Where tests create their databases: TEST_DATABASE_ADMIN_URL, else local Postgres. */
export const adminUrl =
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const TEMPLATE_DATABASE = "halfhour_test_template";
export const WORKER_DATABASE_PREFIX = "halfhour_test_w";

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
        await sql.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`);
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
