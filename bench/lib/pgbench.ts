import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { databaseUrl } from "./database";

const run = promisify(execFile);

/** pgbench's connection flags and password from the admin URL, pointed at `database`. */
function connection(database: string) {
  const url = new URL(databaseUrl(database));
  const args = ["-h", url.hostname, "-p", url.port || "5432", "-U", url.username || "postgres"];
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) || undefined };
  return { args: [...args, database], env };
}

export async function pgbenchInit(database: string, scale: number): Promise<void> {
  const { args, env } = connection(database);
  await run("pgbench", ["-i", "-q", "-s", String(scale), ...args], { env });
}

/** Built-in simple-update (-N) with `clients` clients; tps without connection time. */
export async function pgbenchSimpleUpdate(
  database: string,
  options: { clients: number; threads: number; seconds: number },
): Promise<{ tps: number; output: string }> {
  const { args, env } = connection(database);
  const { stdout } = await run(
    "pgbench",
    [
      "-N",
      "-c",
      String(options.clients),
      "-j",
      String(options.threads),
      "-T",
      String(options.seconds),
      ...args,
    ],
    { env },
  );
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!match) throw new Error(`could not read tps from pgbench output:\n${stdout}`);
  return { tps: Number(match[1]), output: stdout };
}
