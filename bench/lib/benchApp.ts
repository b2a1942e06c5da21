import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { courses, courseVersions } from "../../db/schema";
import { seedId } from "../../server/ids/snowflake";
import { buildNeeded, nextBuild } from "../read/build";
import { freePort, startService, stopService, waitForHttp } from "../read/processes";

/** The demo teacher of seedDemo: an active course with packages. */
export const DEMO_TEACHER_ID = seedId(1_000);

/**
 * The demo teacher's first active course, and the package a benchmark buys: the smallest of
 * at least 10 hours (the largest when none is that big).
 */
export async function demoCourse(db: Database) {
  const [course] = await db
    .select({ id: courses.id, subject: courses.subjectSlug, packages: courseVersions.packageHours })
    .from(courses)
    .innerJoin(
      courseVersions,
      and(
        eq(courseVersions.courseId, courses.id),
        eq(courseVersions.version, courses.currentVersion),
      ),
    )
    .where(and(eq(courses.teacherId, DEMO_TEACHER_ID), eq(courses.status, "active")))
    .orderBy(asc(courses.id))
    .limit(1);
  if (!course) throw new Error("the demo teacher has no active course");
  const hours = Math.min(...course.packages.filter((h) => h >= 10), Math.max(...course.packages));
  return { ...course, hours };
}

export interface BenchApp {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  stop(): Promise<void>;
}

/**
 * `next start` for a benchmark on its own port, built first when the build is stale (a build
 * takes minutes on two cores and the benchmarks measure serving, not building). Its log goes
 * to a temporary file shown if it fails to come up.
 */
export async function startBenchApp(
  env: NodeJS.ProcessEnv,
  say: (line: string) => void,
): Promise<BenchApp> {
  const root = process.cwd();
  const why = await buildNeeded(root);
  if (why) {
    say(`  building: ${why}`);
    await nextBuild(root, env);
  } else say("  reusing the existing build");
  const tmp = await mkdtemp(path.join(tmpdir(), "halfhour-bench-app-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const next = startService(
    "next start",
    process.execPath,
    [
      path.join(root, "node_modules/next/dist/bin/next"),
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(port),
    ],
    // A benchmark's production server sends no texts: the development SMS sink satisfies
    // the startup check for an SMS sender (server/config/deployment.ts).
    { cwd: root, env: { HALFHOUR_DEV_SINKS: "1", ...env }, logFile: path.join(tmp, "next.log") },
  );
  try {
    await waitForHttp(next, `${origin}/api/health`);
  } catch (error) {
    await stopService(next);
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  say(`  next start on ${origin}`);
  return {
    origin,
    async stop() {
      await stopService(next);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
