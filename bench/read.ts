import { chmod, mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import superjson from "superjson";
import { connectPostgres } from "../db/client";
import { migrateDatabase } from "../db/migrator";
import { seedDemo } from "../db/seed/seedDemo";
import { teacherVersionKey } from "../server/catalog/teacherChanged";
import { seedId } from "../server/ids/snowflake";
import { databaseUrl, dropDatabase, recreateDatabase } from "./lib/database";
import { machineCpu, round } from "./lib/stats";
import { buildNeeded, nextBuild } from "./read/build";
import {
  closeAgent,
  type LoadResult,
  loadMode,
  loadTest,
  sequentialLatency,
  timedGet,
} from "./read/load";
import { ensureNginx, startNginx } from "./read/nginx";
import { startNodeCeiling } from "./read/nodeCeiling";
import {
  cpuSeconds,
  freePort,
  type Service,
  startService,
  stopService,
  waitForHttp,
} from "./read/processes";

const BENCH_DATABASE = "halfhour_bench_read";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const AUTH_SECRET = "bench-read-secret-not-for-production-0123456789";
const CONNECTIONS = 50;
const SECONDS = 15;
const SEQUENTIAL = 1000;
/** The demo teacher: 12 reviews, courses, recommendations and published time for 8 weeks. */
const TEACHER_ID = seedId(1_000);

const say = (line = "") => console.info(line);
const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const ms = (value: number) => `${value.toFixed(2)} ms`;
const sleep = (millis: number) => new Promise((r) => setTimeout(r, millis));

/** The body of a GET without Accept-Encoding (as autocannon sends it) and its headers. */
function rawGet(url: string) {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
    (resolve, reject) => {
      request(url, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      })
        .on("error", reject)
        .end();
    },
  );
}

/** GETs `url` until `header` says HIT (the cache is warm), at most `tries` times. */
async function warmUntilHit(url: string, header: string, tries = 40) {
  const seen: string[] = [];
  for (let i = 0; i < tries; i++) {
    const res = await rawGet(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status} while warming`);
    seen.push(res.headers[header] ?? "-");
    if (i >= 1 && res.headers[header] === "HIT") return { ...res, seen };
    await sleep(i === 0 ? 50 : 250);
  }
  throw new Error(`${url} never answered ${header}: HIT (saw ${seen.join(", ")})`);
}

/**
 * Waits until the server is idle (under 5% of a core over half a second, at most 15 s): when a
 * load run stops, the server still works off the requests in flight, and a measurement that
 * starts then would pay for them.
 */
async function settle(pid: number | undefined) {
  await sleep(500);
  if (!pid) return;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const before = await cpuSeconds(pid);
    await sleep(500);
    if ((await cpuSeconds(pid)) - before < 0.025) return;
  }
}

/** A load run with the CPU it cost: the server's processes and the whole machine. */
async function measured(
  url: string,
  serverPid: number | undefined,
  root: string,
): Promise<Measured> {
  await settle(serverPid);
  const machineBefore = await machineCpu();
  const serverBefore = serverPid ? await cpuSeconds(serverPid) : 0;
  const result = await loadTest(url, { connections: CONNECTIONS, seconds: SECONDS, root });
  const serverAfter = serverPid ? await cpuSeconds(serverPid) : 0;
  const machineAfter = await machineCpu();
  const machineBusyPct =
    machineBefore && machineAfter
      ? ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
        100
      : Number.NaN;
  return {
    ...result,
    serverCorePct: ((serverAfter - serverBefore) / SECONDS) * 100,
    clientCorePct: (result.clientCpuSeconds / SECONDS) * 100,
    machineBusyPct,
  };
}

type Measured = LoadResult & {
  serverCorePct: number;
  clientCorePct: number;
  machineBusyPct: number;
};

function describe(name: string, run: Measured) {
  const pct = (v: number) => (Number.isNaN(v) ? "n/a" : `${v.toFixed(0)}%`);
  say(
    `  ${name}: ${run.rps.toFixed(0)} req/s, p50 ${ms(run.p50)}, p99 ${ms(run.p99)} ` +
      `(${run.total} requests, ${run.non2xx} non-2xx, ${run.errors} errors, ` +
      `${(run.bytesPerSecond / 1024 / 1024).toFixed(1)} MiB/s)`,
  );
  // Whatever else ran on the machine meanwhile (other developers' builds and tests, Postgres).
  const others =
    (run.machineBusyPct / 100) * cpus().length * 100 - run.serverCorePct - run.clientCorePct;
  say(
    `    CPU: server ${pct(run.serverCorePct)} of a core, load generator ${pct(run.clientCorePct)}, ` +
      `everything else ${pct(Math.max(0, others))}; machine ${pct(run.machineBusyPct)} busy (all cores)`,
  );
  if (run.non2xx > 0 || run.errors > 0) say("    WARNING: failed requests in this run");
}

/** Finds cache entries of this teacher's free slots (the readThrough keys), if any. */
async function slotCacheKeys(redis: Redis, teacherId: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(
      cursor,
      "MATCH",
      `*teacher:${teacherId}:slots*`,
      "COUNT",
      1000,
    );
    cursor = next;
    found.push(...keys.filter((k) => !k.endsWith(":lock")));
  } while (cursor !== "0");
  return found;
}

export async function runReadBench(): Promise<void> {
  const root = process.cwd();
  const tmp = await mkdtemp(path.join(tmpdir(), "halfhour-bench-read-"));
  // nginx's workers drop root (to nobody): they must be able to enter the prefix directory.
  await chmod(tmp, 0o755);
  const services: Service[] = [];
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let failed = false;
  const cleanup = async () => {
    for (const service of services.reverse()) await stopService(service);
    closeAgent();
    redis.disconnect();
    await dropDatabase(BENCH_DATABASE);
    if (!failed) await rm(tmp, { recursive: true, force: true });
  };
  const interrupted = () => {
    failed = true;
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  try {
    say(`read-path benchmark: studio page, widget, nginx; database ${BENCH_DATABASE}`);
    say(
      `  machine: ${cpus().length} cores, load average ${loadAverage()} at the start ` +
        "(the server, nginx and the load generator share these cores)",
    );
    say(
      `  load generator: autocannon, ${CONNECTIONS} connections × ${SECONDS} s, ` +
        `${loadMode() === "child" ? "in a child process (BENCH_LOAD=child)" : "in this process (BENCH_LOAD=child for a child process)"}`,
    );

    say("\n1. Database: create, migrate, seed the demo marketplace");
    await recreateDatabase(BENCH_DATABASE);
    const db = connectPostgres(databaseUrl(BENCH_DATABASE), 2);
    try {
      await migrateDatabase(db);
      const seeded = await seedDemo(db.db);
      say(`  ${JSON.stringify(seeded)}`);
    } finally {
      await db.close();
    }
    await redis.connect();

    const appEnv = {
      ...process.env,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl(BENCH_DATABASE),
      REDIS_URL,
      AUTH_SECRET,
      HALFHOUR_BENCH_ROUTES: "1",
      // It sends no texts or mail: the development sinks satisfy the start-up checks for senders.
      HALFHOUR_DEV_SINKS: "1",
    };

    say("\n2. next build (only when .next/BUILD_ID is missing or older than the sources)");
    const why = await buildNeeded(root);
    if (why) {
      say(`  building: ${why}`);
      const started = performance.now();
      await nextBuild(root, appEnv);
      say(`  built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    } else {
      say("  reusing the existing build: .next/BUILD_ID is newer than every source file");
    }

    const appPort = await freePort();
    const app = `http://127.0.0.1:${appPort}`;
    const next = startService(
      "next start",
      process.execPath,
      [
        path.join(root, "node_modules/next/dist/bin/next"),
        "start",
        "-H",
        "127.0.0.1",
        "-p",
        String(appPort),
      ],
      { cwd: root, env: appEnv, logFile: path.join(tmp, "next.log") },
    );
    services.push(next);
    await waitForHttp(next, `${app}/api/health`);
    say(`  next start on ${app} (pid ${next.child.pid})`);

    say(`\n3. Studio page /teachers/${TEACHER_ID}, cached (ISR) by next start`);
    const studioUrl = `${app}/teachers/${TEACHER_ID}`;
    const warm = await warmUntilHit(studioUrl, "x-nextjs-cache");
    const html = warm.body;
    say(
      `  warm-up: x-nextjs-cache ${warm.seen.join(" → ")}; ${(html.length / 1024).toFixed(1)} KiB; ` +
        `Cache-Control: ${warm.headers["cache-control"]}`,
    );
    if (!html.includes("Students also look at")) say("  WARNING: no recommendations on the page");
    const studio = await measured(studioUrl, next.child.pid, root);
    describe("studio (HIT)", studio);

    say(`\n4. The same page rendered per request (/bench/teachers/${TEACHER_ID}, force-dynamic)`);
    const dynamicUrl = `${app}/bench/teachers/${TEACHER_ID}`;
    for (let i = 0; i < 3; i++) {
      const res = await rawGet(dynamicUrl);
      if (res.status !== 200) throw new Error(`${dynamicUrl} answered ${res.status}`);
      if (i === 2) {
        say(
          `  warm-up: ${(res.body.length / 1024).toFixed(1)} KiB, Cache-Control: ${res.headers["cache-control"]}`,
        );
      }
    }
    const dynamic = await measured(dynamicUrl, next.child.pid, root);
    describe("dynamic", dynamic);

    say("\n5. Free-slots widget: GET /api/trpc/availability.free, 14 days");
    const input = encodeURIComponent(
      JSON.stringify(superjson.serialize({ teacherId: TEACHER_ID, days: 14 })),
    );
    const widgetUrl = `${app}/api/trpc/availability.free?input=${input}`;
    for (let i = 0; i < 3; i++) {
      const res = await rawGet(widgetUrl);
      if (res.status !== 200) throw new Error(`${widgetUrl} answered ${res.status}: ${res.body}`);
    }
    const cacheKeys = await slotCacheKeys(redis, TEACHER_ID);
    const cacheAside = cacheKeys.length > 0;
    say(
      cacheAside
        ? `  Redis cache-aside found: ${cacheKeys.length} entr${cacheKeys.length === 1 ? "y" : "ies"} (e.g. ${cacheKeys[0]})`
        : "  NOTE: no Redis entry for this teacher's free slots: the cache-aside (server/cache/" +
            "readThrough.ts) has not landed, so hit and miss both read Postgres",
    );
    await settle(next.child.pid);
    const hit = await sequentialLatency(widgetUrl, SEQUENTIAL);
    say(
      `  hit, ${SEQUENTIAL} sequential: p50 ${ms(hit.p50)}, p99 ${ms(hit.p99)}, max ${ms(hit.max)}` +
        (hit.failures ? `, ${hit.failures} failed` : ""),
    );
    const versionKey = teacherVersionKey(TEACHER_ID);
    await settle(next.child.pid);
    const miss = await sequentialLatency(widgetUrl, SEQUENTIAL, () => redis.incr(versionKey));
    say(
      `  miss (INCR ${versionKey} before each, untimed), ${SEQUENTIAL} sequential: ` +
        `p50 ${ms(miss.p50)}, p99 ${ms(miss.p99)}, max ${ms(miss.max)}` +
        (miss.failures ? `, ${miss.failures} failed` : ""),
    );
    await rawGet(widgetUrl); // warm again after the last bump
    const widget = await measured(widgetUrl, next.child.pid, root);
    describe("hit", widget);

    say("\n6. The studio page through nginx (deploy/nginx/halfhour.conf)");
    await ensureNginx(say);
    const nginxPort = await freePort();
    const nginx = await startNginx(root, {
      prefix: path.join(tmp, "nginx"),
      appPort,
      listenPort: nginxPort,
    });
    services.push(nginx);
    const cdn = `http://127.0.0.1:${nginxPort}`;
    await waitForHttp(nginx, `${cdn}/api/health`);
    const cdnUrl = `${cdn}/teachers/${TEACHER_ID}`;
    const cdnWarm = await warmUntilHit(cdnUrl, "x-cache-status");
    say(
      `  nginx on ${cdn} (pid ${nginx.child.pid}); warm-up: X-Cache-Status ${cdnWarm.seen.join(" → ")}`,
    );
    if (!cdnWarm.body.equals(html))
      say("  note: nginx's copy differs from the page measured above");
    const cdnRun = await measured(cdnUrl, nginx.child.pid, root);
    describe("cdn (nginx HIT)", cdnRun);
    // Diagnostic, not in the BENCH line: the widget GET carries `public, s-maxage=…`, so the
    // same nginx serves it from its cache too (what a browser behind this proxy would see).
    const cdnWidgetUrl = `${cdn}/api/trpc/availability.free?input=${input}`;
    const cdnWidgetWarm = await warmUntilHit(cdnWidgetUrl, "x-cache-status");
    await settle(next.child.pid);
    const cdnWidget = await sequentialLatency(cdnWidgetUrl, SEQUENTIAL);
    say(
      `  diagnostic, the widget GET through nginx (X-Cache-Status ${cdnWidgetWarm.seen.join(" → ")}), ` +
        `${SEQUENTIAL} sequential: p50 ${ms(cdnWidget.p50)}, p99 ${ms(cdnWidget.p99)}`,
    );

    say("\n7. Node ceiling: a bare node:http server answering the same HTML bytes");
    const ceilingPort = await freePort();
    const ceiling = await startNodeCeiling(tmp, html, ceilingPort);
    services.push(ceiling);
    const ceilingUrl = `http://127.0.0.1:${ceilingPort}/`;
    await waitForHttp(ceiling, ceilingUrl);
    const ceilingRun = await measured(ceilingUrl, ceiling.child.pid, root);
    describe("node ceiling", ceilingRun);

    // Sanity: the cached page is still a HIT (nothing expired it during the runs).
    const after = await timedGet(studioUrl, "x-nextjs-cache");
    if (after.header !== "HIT")
      say(`  note: studio page answered x-nextjs-cache ${after.header} at the end`);

    const targets: [string, string, boolean][] = [
      [
        "studio_rps ≥ 3 × dynamic_rps",
        `${studio.rps.toFixed(0)} = ${(studio.rps / dynamic.rps).toFixed(1)} × ${dynamic.rps.toFixed(0)}`,
        studio.rps >= 3 * dynamic.rps,
      ],
      [
        "cdn_rps ≥ 50% of node_ceiling_rps",
        `${cdnRun.rps.toFixed(0)} = ${((cdnRun.rps / ceilingRun.rps) * 100).toFixed(0)}% of ${ceilingRun.rps.toFixed(0)}`,
        cdnRun.rps >= 0.5 * ceilingRun.rps,
      ],
      ["widget_hit_p99 ≤ 10 ms", ms(hit.p99), hit.p99 <= 10],
    ];
    say("\ntargets:");
    for (const [target, figure, met] of targets) {
      say(`  ${target.padEnd(36)} ${figure.padEnd(28)} ${met ? "met" : "NOT MET"}`);
    }
    if (!cacheAside) say("  (widget figures without a Redis cache: see the note in 5.)");
    say(`\nload average at the end: ${loadAverage()}`);
    say(
      `\nBENCH read studio_rps=${Math.round(studio.rps)} studio_p99_ms=${round(studio.p99, 2)} ` +
        `dynamic_rps=${Math.round(dynamic.rps)} cdn_rps=${Math.round(cdnRun.rps)} ` +
        `cdn_p99_ms=${round(cdnRun.p99, 2)} widget_hit_rps=${Math.round(widget.rps)} ` +
        `widget_hit_p99_ms=${round(hit.p99, 2)} widget_miss_p99_ms=${round(miss.p99, 2)} ` +
        `node_ceiling_rps=${Math.round(ceilingRun.rps)}`,
    );
  } catch (error) {
    failed = true;
    say(`\nfailed; logs kept in ${tmp}`);
    throw error;
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await cleanup();
  }
}
