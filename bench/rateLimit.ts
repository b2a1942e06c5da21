import { randomUUID } from "node:crypto";
import { connectRedis } from "../server/cache";
import { RATE_LIMITS, type RateLimiter, redisRateLimiter } from "../server/security/rateLimits";
import { percentile, round } from "./lib/stats";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const HITS = Number(process.env.BENCH_RATE_LIMIT_HITS ?? 20_000);
const CONCURRENCY = 50;
const IDENTIFIERS = 1_000;

const say = (line = "") => console.info(line);

/** Runs `count` calls `CONCURRENCY` at a time; per-call latencies (ms) and calls per second. */
async function drive(count: number, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: count / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * `npm run bench -- ratelimit` (issue 8): what a rate-limit check costs on the request path.
 * 20,000 sliding-window hits (one Lua script each) over 1,000 identifiers, 50 at a time,
 * against a baseline of plain INCRs (one command, no script) through the same Redis client and
 * concurrency. Then
 * exactness: 200 concurrent hits on one identifier must let exactly the limit through.
 */
export async function runRateLimitBench() {
  const connection = connectRedis({ REDIS_URL, CACHE_TIMEOUT_MS: 1_000 });
  if (!connection) throw new Error("REDIS_URL is required");
  const run = `bench:${randomUUID()}`;
  try {
    const limiter: RateLimiter = redisRateLimiter(connection.redis, `ratelimit:${run}`);
    // Warm both paths (connection, script load).
    await limiter.hit("browse", "warm");
    await connection.redis.incr(`${run}:warm`);

    // Interleaved, twice each, best of two: the first round also warms the JIT and the socket.
    const incr = () => drive(HITS, (i) => connection.redis.incr(`${run}:incr:${i % IDENTIFIERS}`));
    const hit = () => drive(HITS, (i) => limiter.hit("browse", `id-${i % IDENTIFIERS}`));
    type Measured = Awaited<ReturnType<typeof drive>>;
    const rounds: { incr: Measured; hit: Measured }[] = [];
    for (let r = 1; r <= 2; r++) {
      say(
        `${r}. ${HITS} INCRs, then ${HITS} sliding-window hits over ${IDENTIFIERS} identifiers, ${CONCURRENCY} at a time`,
      );
      const pair = { incr: await incr(), hit: await hit() };
      for (const [name, m] of Object.entries(pair)) {
        say(
          `   ${name}: ${round(m.perSecond, 0)}/s, p50 ${round(m.p50, 2)} ms, p99 ${round(m.p99, 2)} ms`,
        );
      }
      rounds.push(pair);
    }
    const best = (pick: (p: (typeof rounds)[number]) => Measured) =>
      rounds.map(pick).reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const baseline = best((p) => p.incr);
    const hits = best((p) => p.hit);

    say("3. Exactness: 200 concurrent hits on one identifier");
    const decisions = await Promise.all(
      Array.from({ length: 200 }, () => limiter.hit("codeSendAddress", "one")),
    );
    const allowed = decisions.filter((d) => d.allowed).length;
    const overAdmitted = allowed - RATE_LIMITS.codeSendAddress.limit;
    say(`   allowed ${allowed} of 200 (limit ${RATE_LIMITS.codeSendAddress.limit})`);

    // The INCR keys expire with the run's limiter keys' longest window.
    await Promise.all(
      Array.from({ length: IDENTIFIERS }, (_, i) => connection.redis.del(`${run}:incr:${i}`)),
    );
    say();
    say(
      `BENCH ratelimit hits_per_s=${round(hits.perSecond, 0)} hit_p99_ms=${round(hits.p99, 2)} ` +
        `incr_per_s=${round(baseline.perSecond, 0)} ratio_vs_incr=${round(hits.perSecond / baseline.perSecond, 3)} ` +
        `over_admitted=${overAdmitted}`,
    );
  } finally {
    await connection.close();
  }
}
