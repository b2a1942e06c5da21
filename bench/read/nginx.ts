import { execFile } from "node:child_process";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { type Service, startService } from "./processes";

const run = promisify(execFile);
export const NGINX = "/usr/sbin/nginx";

/** nginx from Debian: installed with apt-get when missing and running as root, else a clear error. */
export async function ensureNginx(say: (line: string) => void): Promise<void> {
  if (await exists(NGINX)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `nginx is missing (${NGINX}) and this is not root: install it (apt-get install -y nginx) ` +
        "and run the benchmark again.",
    );
  }
  say("  nginx missing: apt-get install -y nginx");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    await run("apt-get", ["install", "-y", "-qq", "nginx"], { env, maxBuffer: 1 << 24 });
  } catch {
    // Stale package lists: refresh them once and retry.
    await run("apt-get", ["update", "-qq"], { env, maxBuffer: 1 << 24 });
    await run("apt-get", ["install", "-y", "-qq", "nginx"], { env, maxBuffer: 1 << 24 });
  }
  if (!(await exists(NGINX))) throw new Error(`apt-get install nginx did not provide ${NGINX}`);
}

/**
 * The reference config (deploy/nginx/halfhour.conf) with the lines marked "bench:" pointed at
 * this run: cache directory under `prefix`, the app's port, nginx's port. Fails if a marked
 * line is missing, so the benchmark never silently measures some other configuration.
 */
export function benchCopyOfConfig(
  reference: string,
  options: { prefix: string; appPort: number; listenPort: number },
): string {
  const replacements: [RegExp, string][] = [
    [/proxy_cache_path\s+\S+/, `proxy_cache_path ${path.join(options.prefix, "cache")}`],
    [/server\s+127\.0\.0\.1:\d+;\s*# bench: app address/, `server 127.0.0.1:${options.appPort};`],
    [/listen\s+\S+;\s*# bench: listen address/, `listen 127.0.0.1:${options.listenPort};`],
  ];
  let config = reference;
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(config))
      throw new Error(`deploy/nginx/halfhour.conf: no match for ${pattern}`);
    config = config.replace(pattern, replacement);
  }
  return config;
}

/**
 * Starts nginx in the foreground (`daemon off;`, a child of this process) with a prefix
 * directory of its own: the main config wraps the reference server config in an http block
 * whose temp paths and logs stay under `prefix`. Access logs are off: they would cost the
 * proxy CPU this benchmark attributes to caching.
 */
export async function startNginx(
  root: string,
  options: { prefix: string; appPort: number; listenPort: number },
): Promise<Service> {
  const { prefix } = options;
  await mkdir(path.join(prefix, "logs"), { recursive: true });
  const reference = await readFile(path.join(root, "deploy/nginx/halfhour.conf"), "utf8");
  await writeFile(path.join(prefix, "halfhour.conf"), benchCopyOfConfig(reference, options));
  const temp = (name: string) => path.join(prefix, `${name}_temp`);
  await writeFile(
    path.join(prefix, "nginx.conf"),
    [
      "daemon off;",
      "worker_processes auto;",
      `pid ${path.join(prefix, "nginx.pid")};`,
      `error_log ${path.join(prefix, "logs/error.log")} warn;`,
      "events { worker_connections 1024; }",
      "http {",
      "  default_type application/octet-stream;",
      "  access_log off;",
      "  sendfile on;",
      "  tcp_nopush on;",
      `  client_body_temp_path ${temp("client_body")};`,
      `  proxy_temp_path ${temp("proxy")};`,
      `  fastcgi_temp_path ${temp("fastcgi")};`,
      `  uwsgi_temp_path ${temp("uwsgi")};`,
      `  scgi_temp_path ${temp("scgi")};`,
      `  include ${path.join(prefix, "halfhour.conf")};`,
      "}",
      "",
    ].join("\n"),
  );
  const args = [
    "-p",
    prefix,
    "-c",
    path.join(prefix, "nginx.conf"),
    "-e",
    path.join(prefix, "logs/error.log"),
  ];
  try {
    await run(NGINX, [...args, "-t", "-q"]);
  } catch (error) {
    throw new Error(
      `nginx rejected the generated config: ${(error as { stderr?: string }).stderr ?? error}`,
    );
  }
  return startService("nginx", NGINX, args, { logFile: path.join(prefix, "logs/stdout.log") });
}

async function exists(file: string) {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
