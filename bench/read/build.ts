import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** What `next build` reads: if none of it is newer than .next/BUILD_ID, the build is current. */
const SOURCE_DIRS = ["app", "server", "db", "public"];
const SOURCE_FILES = [
  "next.config.ts",
  "instrumentation.ts",
  "middleware.ts",
  "proxy.ts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];

async function newestMtime(entry: string): Promise<{ ms: number; file: string } | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(entry);
  } catch {
    return null;
  }
  if (!info.isDirectory()) return { ms: info.mtimeMs, file: entry };
  let newest: { ms: number; file: string } | null = null;
  for (const child of await readdir(entry)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    const found = await newestMtime(path.join(entry, child));
    if (found && (!newest || found.ms > newest.ms)) newest = found;
  }
  return newest;
}

/**
 * Why the app must be built, or null when `.next/BUILD_ID` is newer than every source file
 * (then the existing build is reused: a build takes minutes on two cores and the benchmark
 * measures serving, not building).
 */
export async function buildNeeded(root: string): Promise<string | null> {
  let built: number;
  try {
    built = (await stat(path.join(root, ".next", "BUILD_ID"))).mtimeMs;
  } catch {
    return "no .next/BUILD_ID";
  }
  for (const entry of [...SOURCE_DIRS, ...SOURCE_FILES]) {
    const newest = await newestMtime(path.join(root, entry));
    if (newest && newest.ms > built) {
      return `${path.relative(root, newest.file)} is newer than .next/BUILD_ID`;
    }
  }
  return null;
}

/** `next build`, output passed through; rejects when it fails. */
export function nextBuild(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "node_modules/next/dist/bin/next"), "build"],
      {
        cwd: root,
        env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`)),
    );
  });
}
