import { execFile } from "node:child_process";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { percentile } from "../lib/stats";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  /** Response bytes per second, average. */
  bytesPerSecond: number;
}

/**
 * Where the load generator runs. "process" (default): autocannon's API in this process, which
 * does nothing else while it runs. "child": the same API in a fresh Node child process that
 * reports its result and its own CPU time. Either way it is one single-threaded Node client
 * sharing the two cores with the server under test; BENCH_LOAD=child picks the second.
 */
export type LoadMode = "process" | "child";
export const loadMode = (): LoadMode => (process.env.BENCH_LOAD === "child" ? "child" : "process");

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;

const autocannonApi = createRequire(import.meta.url)("autocannon") as Autocannon;

/** The child: runs autocannon, prints `{ result, cpuSeconds }` (CPU of the run alone). */
const CHILD = `
const autocannon = require(process.argv[1]);
const [url, connections, duration] = process.argv.slice(2);
const before = process.cpuUsage();
autocannon({ url, connections: Number(connections), duration: Number(duration) }).then((result) => {
  const used = process.cpuUsage(before);
  process.stdout.write(JSON.stringify({ result, cpuSeconds: (used.user + used.system) / 1e6 }));
});
`;

const run = promisify(execFile);

/**
 * autocannon: `connections` keep-alive connections for `seconds`, one request in flight each.
 * Also returns the CPU seconds the load generator itself used.
 */
export async function loadTest(
  url: string,
  options: { connections: number; seconds: number; mode?: LoadMode; root: string },
): Promise<LoadResult & { clientCpuSeconds: number }> {
  const mode = options.mode ?? loadMode();
  let result: AutocannonResult;
  let clientCpuSeconds: number;
  if (mode === "child") {
    const { stdout } = await run(
      process.execPath,
      [
        "-e",
        CHILD,
        path.join(options.root, "node_modules/autocannon"),
        url,
        String(options.connections),
        String(options.seconds),
      ],
      { maxBuffer: 1 << 26 },
    );
    ({ result, cpuSeconds: clientCpuSeconds } = JSON.parse(stdout) as {
      result: AutocannonResult;
      cpuSeconds: number;
    });
  } else {
    const before = process.cpuUsage();
    result = await autocannonApi({
      url,
      connections: options.connections,
      duration: options.seconds,
    });
    const used = process.cpuUsage(before);
    clientCpuSeconds = (used.user + used.system) / 1e6;
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerSecond: result.throughput.average,
    clientCpuSeconds,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET over a kept-alive connection: status, a header and the wall time in ms. */
export function timedGet(url: string, header?: string) {
  return new Promise<{ status: number; ms: number; header: string | undefined; bytes: number }>(
    (resolve, reject) => {
      const started = performance.now();
      const req = request(url, { agent }, (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            header: header ? (res.headers[header] as string | undefined) : undefined,
            bytes,
          }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    },
  );
}

/** `count` sequential GETs; `before` runs ahead of each one, untimed (e.g. invalidate a cache). */
export async function sequentialLatency(
  url: string,
  count: number,
  before?: () => Promise<unknown>,
) {
  const samples: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    if (before) await before();
    const { status, ms } = await timedGet(url);
    if (status !== 200) failures++;
    samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.at(-1) ?? Number.NaN,
    failures,
  };
}

export function closeAgent() {
  agent.destroy();
}
