import { afterAll, inject } from "vitest";
import { closeCache } from "../../server/cache";
import { closeRateLimiter } from "../../server/security/rateLimits";
import { cloneTemplate, databaseUrl, runDatabase } from "./testDatabases";

/**
 * Each test file gets a fresh clone of the migrated template (fast: a file copy inside
 * Postgres), so files never see each other's rows and may run in parallel workers.
 */
process.env.HALFHOUR_TEST_RUN = inject("testRun");
const name = runDatabase(`w${process.env.VITEST_POOL_ID ?? "0"}_${process.pid}`);
await cloneTemplate(name);
process.env.DATABASE_URL = databaseUrl(name);
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
// Small pools: the concurrency tests open 60 connections of their own, and max_connections is 100.
process.env.DATABASE_POOL_MAX ??= "4";
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";
// Each test file counts its own rate-limit hits: files and runs sharing Redis never collide.
process.env.HALFHOUR_RATE_LIMIT_PREFIX ??= `test_${name}`;

afterAll(async () => {
  const holder = globalThis as { halfhourDatabase?: { close(): Promise<void> } };
  await holder.halfhourDatabase?.close();
  holder.halfhourDatabase = undefined;
  await closeCache();
  await closeRateLimiter();
});
