import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../db/client";
import { users } from "../db/schema";
import { createCache } from "../server/cache";
import { DomainError } from "../server/domainError";
import { claimCoupon } from "../server/marketing/claimCoupon";
import { createBatch } from "../server/marketing/couponBatches";
import { databaseUrl, dropDatabase, freshAppDatabase } from "./lib/database";
import { round } from "./lib/stats";

const BENCH_DATABASE = "halfhour_bench_coupon";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const BUDGET = Number(process.env.BENCH_COUPON_BUDGET ?? 5_000);
const CLIENTS = Number(process.env.BENCH_COUPON_CLIENTS ?? 200);
const STUDENTS = 1_000;
/** Connections for the claims: within the notes' ceiling of 40. */
const POOL = 40;

const say = (line = "") => console.info(line);

export interface CouponBenchOptions {
  /**
   * p99 latency (ms) of the studio price widget's tRPC query with 5 active promotions on the
   * course — measured by the promotions work (the main session passes it in). Given the
   * bench's database (migrated, otherwise empty) and its URL. Absent: printed as NaN.
   */
  measurePriceP99?: (context: { db: Database; url: string }) => Promise<number>;
}

/**
 * `npm run bench -- coupon` (issue 7): 200 concurrent clients (in-process service calls, each
 * claim from one of 1,000 students with a fresh request key) claim from a batch with a budget
 * of 5,000 until it runs out — through the Redis pre-check and the Postgres transaction, as
 * the app does. Afterwards SQL counts what was issued: beyond the budget on the batch row, and
 * coupon rows beyond it. Both must be 0.
 */
export async function runCouponBench(options: CouponBenchOptions = {}) {
  process.env.AUTH_SECRET ??= "bench-coupon-secret-not-for-production-0123456789";
  say(`1. Database ${BENCH_DATABASE}: create and migrate`);
  const handle = await freshAppDatabase(BENCH_DATABASE, POOL);
  const cache = createCache({ REDIS_URL, CACHE_TIMEOUT_MS: 250 });
  try {
    const db = handle.db;
    const [admin] = await db
      .insert(users)
      .values({ name: "Bench admin", email: "bench-admin@halfhour.test", role: "admin" })
      .returning({ id: users.id });
    const students = (
      await db
        .insert(users)
        .values(
          Array.from({ length: STUDENTS }, (_, i) => ({
            name: `Bench student ${i}`,
            email: `bench-student-${i}@halfhour.test`,
            role: "student" as const,
          })),
        )
        .returning({ id: users.id })
    ).map((s) => s.id);
    const batch = await createBatch(
      db,
      { role: "admin", userId: admin!.id },
      {
        title: "Bench coupons",
        kind: "amount_off",
        amountOff: 500,
        percentBps: null,
        cap: null,
        scopeKind: "all",
        validFrom: null,
        validUntil: null,
        validDaysAfterClaim: 30,
        claimUntil: null,
        budgetCount: BUDGET,
        budgetAmount: null,
        // Enough for every student to claim as often as the clients pick them.
        perUserLimit: 100,
        exclusive: false,
        public: true,
      },
    );
    say(`  batch ${batch.id}: budget ${BUDGET}, ${STUDENTS} students, Redis ${REDIS_URL}`);

    say(`\n2. ${CLIENTS} clients claim until sold out`);
    let attempts = 0;
    let issued = 0;
    const refusals = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const studentId = students[next++ % STUDENTS]!;
          attempts++;
          try {
            await claimCoupon(
              db,
              studentId,
              { batchId: batch.id, requestKey: randomUUID() },
              new Date(),
              cache,
            );
            issued++;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refusals.set(error.message, (refusals.get(error.message) ?? 0) + 1);
            if (error.message === "This coupon is sold out") return;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const claimsPerSecond = attempts / seconds;
    say(`  ${attempts} claims in ${round(seconds, 2)} s: ${issued} issued`);
    say(`  refusals ${JSON.stringify(Object.fromEntries(refusals))}`);

    say("\n3. Counted by SQL: issued beyond the budget");
    const [counted] = await queryRows<{
      issued_count: number;
      coupons: number;
      budget: number;
      over_issued: number;
    }>(
      db,
      sql`SELECT b.issued_count, c.n AS coupons, b.budget_count AS budget,
            GREATEST(b.issued_count - b.budget_count, c.n - b.budget_count, 0) AS over_issued
          FROM coupon_batches b,
            LATERAL (SELECT count(*)::int AS n FROM coupons WHERE batch_id = b.id) c
          WHERE b.id = ${batch.id}`,
    );
    say(
      `  batch issued_count ${counted!.issued_count}, coupon rows ${counted!.coupons}, budget ${counted!.budget}`,
    );

    let priceP99 = Number.NaN;
    if (options.measurePriceP99) {
      say("\n4. Price widget p99 (5 active promotions on the course)");
      priceP99 = await options.measurePriceP99({ db, url: databaseUrl(BENCH_DATABASE) });
    }
    say(
      `BENCH coupon claims_per_s=${Math.round(claimsPerSecond)} claims=${attempts} issued=${counted!.coupons} budget=${counted!.budget} over_issued=${counted!.over_issued} price_p99_ms=${Number.isNaN(priceP99) ? "NaN" : round(priceP99, 1)}`,
    );
  } finally {
    await cache.close();
    await handle.close();
    await dropDatabase(BENCH_DATABASE);
  }
}
