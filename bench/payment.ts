import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { connectPostgres, queryRows } from "../db/client";
import { migrateDatabase } from "../db/migrator";
import { users } from "../db/schema";
import { seedDemo } from "../db/seed/seedDemo";
import { deliverSandboxCallback, newSandboxTransactionId } from "../server/payment/sandboxDelivery";
import { startPayment } from "../server/payment/startPayment";
import { runReconciliation } from "../server/reconciliation/runReconciliation";
import { newOrderId, placeOrder } from "../server/trade/placeOrder";
import { type BenchApp, DEMO_TEACHER_ID, demoCourse, startBenchApp } from "./lib/benchApp";
import { databaseUrl, dropDatabase, recreateDatabase } from "./lib/database";
import { percentile, round } from "./lib/stats";

const BENCH_DATABASE = "halfhour_bench_payment";
const AUTH_SECRET = "bench-payment-secret-not-for-production-0123456789";
const SANDBOX_SECRET = "bench-payment-sandbox-secret-0123456789";
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1_000);
const STUDENTS = 100;
/** Each callback is delivered this many times at once (the issue: 3). */
const COPIES = 3;
/** Payments in flight at once; with COPIES, the webhook sees up to 48 concurrent requests. */
const IN_FLIGHT = Number(process.env.BENCH_PAYMENT_IN_FLIGHT ?? 16);

const say = (line = "") => console.info(line);

/** Runs `work` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * `npm run bench -- payment` (issue 6): 1,000 payments of package orders through the sandbox
 * gateway against `next start`, each success callback delivered 3 times at once over HTTP to
 * the webhook (seed 000's gateways call twice, concurrently; this calls three times). Measures
 * webhook throughput and checkout → paid latency, then proves exactly-once: applications,
 * duplicate postings and a full reconciliation. Baseline in the same run: GET /api/health at
 * the same concurrency, so the callback rate reads as a share of what the server does with
 * no work at all.
 */
export async function runPaymentBench() {
  const _root = process.cwd();
  const tmp = await mkdtemp(path.join(tmpdir(), "halfhour-bench-payment-"));
  process.env.SANDBOX_WEBHOOK_SECRET = SANDBOX_SECRET;
  process.env.AUTH_SECRET = AUTH_SECRET;
  const url = databaseUrl(BENCH_DATABASE);
  let next: BenchApp | null = null;
  await recreateDatabase(BENCH_DATABASE);
  const handle = connectPostgres(url, IN_FLIGHT + 4);
  try {
    say("1. Database: create, migrate, seed the demo marketplace");
    await migrateDatabase(handle);
    const db = handle.db;
    await seedDemo(db);
    const course = await demoCourse(db);
    const { hours } = course;
    const students = await db
      .insert(users)
      .values(
        Array.from({ length: STUDENTS }, (_, i) => ({
          name: `Bench student ${i}`,
          email: `bench-student-${i}@halfhour.test`,
          role: "student" as const,
        })),
      )
      .returning({ id: users.id });
    const orders: { studentId: string; orderId: string }[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const studentId = students[i % STUDENTS]!.id;
      const placed = await placeOrder(db, studentId, {
        orderId: newOrderId(),
        teacherId: DEMO_TEACHER_ID,
        courseId: course.id,
        purchase: { kind: "package", hours },
      });
      orders.push({ studentId, orderId: placed.order.id });
    }
    say(`  ${PAYMENTS} unpaid ${hours}-hour package orders from ${STUDENTS} students`);

    const appEnv = {
      ...process.env,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: url,
      AUTH_SECRET,
      SANDBOX_WEBHOOK_SECRET: SANDBOX_SECRET,
      // Sends no mail: the development mailbox satisfies the production start-up check.
      HALFHOUR_DEV_SINKS: "1",
      // Only the webhook is measured: keep the in-process sweep out of the way.
      HALFHOUR_SWEEP_SECONDS: "0",
    };
    say("\n2. next start (built first when the build is stale)");
    next = await startBenchApp(appEnv, say);
    const app = next.origin;

    say(`\n3. Baseline: GET /api/health, ${IN_FLIGHT * COPIES} at once`);
    const healthCount = 600;
    const healthStarted = performance.now();
    await pool(
      Array.from({ length: healthCount }, (_, i) => i),
      IN_FLIGHT * COPIES,
      async () => {
        const res = await fetch(`${app}/api/health`);
        await res.arrayBuffer();
      },
    );
    const healthPerSecond = healthCount / ((performance.now() - healthStarted) / 1000);
    say(`  ${round(healthPerSecond, 1)} requests/s`);

    say(`\n4. ${PAYMENTS} payments, ${IN_FLIGHT} in flight, each callback sent ${COPIES}× at once`);
    const webhook = `${app}/api/payments/sandbox/webhook`;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let deliveries = 0;
    const started = performance.now();
    await pool(orders, IN_FLIGHT, async ({ studentId, orderId }) => {
      const t0 = performance.now();
      const payment = await startPayment(db, studentId, {
        idempotencyKey: `bench-${orderId}`,
        orderIds: [orderId],
        method: "gateway",
        appUrl: "",
      });
      const answers = await deliverSandboxCallback(
        webhook,
        {
          type: "payment.succeeded",
          paymentId: payment.paymentId,
          transactionId: newSandboxTransactionId(),
          amount: payment.fromGateway,
          currency: payment.currency,
        },
        { copies: COPIES, delayMs: 0 },
        SANDBOX_SECRET,
      );
      latencies.push(performance.now() - t0);
      deliveries += answers.length;
      for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const seconds = (performance.now() - started) / 1000;
    const callbacksPerSecond = deliveries / seconds;
    latencies.sort((a, b) => a - b);
    say(
      `  ${deliveries} deliveries in ${round(seconds, 2)} s; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    say(
      `  checkout → paid p50 ${round(percentile(latencies, 50), 1)} ms, p99 ${round(percentile(latencies, 99), 1)} ms`,
    );
    say(`  callbacks/s ÷ health requests/s = ${round(callbacksPerSecond / healthPerSecond, 3)}`);

    say("\n5. Exactly once: applications, postings, orders, reconciliation");
    const [counts] = await queryRows<{
      applied: number;
      duplicate_applications: number;
      duplicate_postings: number;
      paid_orders: number;
      callbacks: number;
    }>(
      db,
      sql`WITH bench AS (SELECT id FROM payments WHERE idempotency_key LIKE 'bench-%')
      SELECT
        (SELECT count(*) FROM payment_applications a JOIN bench b ON b.id = a.payment_id)::int AS applied,
        (SELECT count(*) - count(DISTINCT a.payment_id)
          FROM payment_applications a JOIN bench b ON b.id = a.payment_id)::int AS duplicate_applications,
        (SELECT count(*) FROM (
          SELECT t.reference_id FROM ledger_transactions t JOIN bench b ON t.reference_id = b.id::text
          WHERE t.reference_kind = 'payment'
          GROUP BY t.reference_id HAVING count(*) > 1) d)::int AS duplicate_postings,
        (SELECT count(*) FROM payment_items i JOIN bench b ON b.id = i.payment_id
          JOIN orders o ON o.id = i.order_id WHERE o.status = 'paid')::int AS paid_orders,
        (SELECT count(*) FROM gateway_callbacks c JOIN bench b ON b.id = c.payment_id)::int AS callbacks`,
    );
    const report = await runReconciliation(db, { kind: "command" });
    say(`  ${JSON.stringify(counts)}; reconciliation: ${report.mismatchCount} mismatch(es)`);
    for (const m of report.mismatches.slice(0, 10))
      say(`    [${m.check}] ${m.kind} ${m.subject}: ${m.detail}`);
    const duplicatesApplied =
      counts!.duplicate_applications +
      counts!.duplicate_postings +
      Math.max(0, counts!.applied - PAYMENTS);
    say(
      `BENCH payment callbacks_per_s=${round(callbacksPerSecond, 1)} deliveries=${deliveries} applied=${counts!.applied} duplicates_applied=${duplicatesApplied} ledger_mismatches=${report.mismatchCount} checkout_to_paid_p99_ms=${round(percentile(latencies, 99), 1)}`,
    );
  } finally {
    if (next) await next.stop();
    await handle.close();
    await dropDatabase(BENCH_DATABASE);
    await rm(tmp, { recursive: true, force: true });
  }
}
