import type { Database } from "../db/client";
import { users } from "../db/schema";
import { seedDemo } from "../db/seed/seedDemo";
import { createCache } from "../server/cache";
import { createPromotion } from "../server/marketing/promotionEditing";
import { createPromotionInput } from "../server/marketing/promotionRules";
import { DEMO_TEACHER_ID, demoCourse, startBenchApp } from "./lib/benchApp";
import { percentile, round } from "./lib/stats";

const AUTH_SECRET = "bench-coupon-secret-not-for-production-0123456789";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const REQUESTS = Number(process.env.BENCH_PRICE_REQUESTS ?? 1_000);
const CONCURRENCY = 8;
const DAY = 86_400_000;
const say = (line = "") => console.info(line);

/** Latencies of `count` GETs of `url`, `concurrency` at a time, sorted. */
async function timedGets(url: string, count: number, concurrency: number): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        const started = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url} answered ${res.status}`);
        out.push(performance.now() - started);
      }
    }),
  );
  return out.sort((a, b) => a - b);
}

/**
 * The studio price widget's query (`marketing.price`, anonymous, as the static studio page's
 * widget sends it: a GET through /api/trpc) for a course with 5 active promotions — one per
 * scope kind plus a package discount — against `next start` on the benchmark's database,
 * with Redis as the cache. Baseline in the same run: GET /api/health, same concurrency.
 * Returns the widget's p99 in ms.
 */
export async function measurePriceP99(context: { db: Database; url: string }): Promise<number> {
  const { db } = context;
  await seedDemo(db);
  const teacherId = DEMO_TEACHER_ID;
  const course = await demoCourse(db);
  const { hours } = course;
  const [admin] = await db
    .insert(users)
    .values({
      name: "Bench admin",
      email: `bench-price-admin-${Date.now()}@halfhour.test`,
      role: "admin",
    })
    .returning({ id: users.id });
  const cache = createCache({ REDIS_URL, CACHE_TIMEOUT_MS: 250 });
  const window = { startsAt: new Date(Date.now() - DAY), endsAt: new Date(Date.now() + 30 * DAY) };
  const promotions = [
    {
      title: "Course week",
      kind: "percent_off",
      percentBps: 500,
      scope: { kind: "courses", ids: [course.id] },
    },
    {
      title: "Teacher special",
      kind: "amount_off",
      amountOff: 300,
      scope: { kind: "teachers", ids: [teacherId] },
    },
    {
      title: "Subject month",
      kind: "percent_off",
      percentBps: 800,
      scope: { kind: "subjects", ids: [course.subject] },
    },
    { title: "Everything sale", kind: "percent_off", percentBps: 300, scope: { kind: "all" } },
    {
      title: "Big packages",
      kind: "package_discount",
      percentBps: 1000,
      minHours: hours,
      scope: { kind: "courses", ids: [course.id] },
    },
  ];
  try {
    for (const p of promotions) {
      await createPromotion(
        db,
        cache,
        { role: "admin", userId: admin!.id },
        createPromotionInput.parse({ ...p, ...window }),
      );
    }
  } finally {
    await cache.close();
  }
  say(`  ${promotions.length} active promotions on course ${course.id}`);

  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: context.url,
    REDIS_URL,
    AUTH_SECRET,
    HALFHOUR_SWEEP_SECONDS: "0",
    // Sends no mail: the development mailbox satisfies the production start-up check.
    HALFHOUR_DEV_SINKS: "1",
  };
  const next = await startBenchApp(env, say);
  const app = next.origin;
  try {
    const input = encodeURIComponent(
      JSON.stringify({ json: { courseId: course.id, purchase: { kind: "package", hours } } }),
    );
    const priceUrl = `${app}/api/trpc/marketing.price?input=${input}`;
    const sample = await (await fetch(priceUrl)).json();
    const data = (
      sample as { result?: { data?: { json?: { payable?: number; discounts?: unknown[] } } } }
    ).result?.data?.json;
    if (!data?.discounts?.length)
      throw new Error(`the price query applied no promotion: ${JSON.stringify(sample)}`);
    say(`  price answer: payable ${data.payable}, ${data.discounts.length} discount line(s)`);
    await timedGets(priceUrl, 100, CONCURRENCY); // warm: JIT, pools, the Redis entry
    const health = await timedGets(`${app}/api/health`, REQUESTS, CONCURRENCY);
    const price = await timedGets(priceUrl, REQUESTS, CONCURRENCY);
    const p99 = percentile(price, 99);
    say(
      `  ${REQUESTS} requests, ${CONCURRENCY} at once: price p50 ${round(percentile(price, 50), 1)} ms, p99 ${round(p99, 1)} ms; /api/health p50 ${round(percentile(health, 50), 1)} ms, p99 ${round(percentile(health, 99), 1)} ms (ratio of p99s ${round(p99 / percentile(health, 99), 2)})`,
    );
    return p99;
  } finally {
    await next.stop();
  }
}
