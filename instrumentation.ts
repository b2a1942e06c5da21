/**
 * Runs once when the Next.js server starts. It refuses to serve a production database without
 * its secrets (server/config/deployment.ts). In the embedded default (no DATABASE_URL) it
 * migrates and seeds the PGlite database before the first request is served. Then it starts
 * the trade sweep (expired holds, automatic lesson completion) in this process.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { refuseToStartWithoutSecrets } = await import("./server/config/deployment");
  refuseToStartWithoutSecrets();
  if (!process.env.DATABASE_URL) {
    const { prepareEmbeddedDatabase } = await import("./db/embedded");
    await prepareEmbeddedDatabase();
  }
  const { getDb } = await import("./db/client");
  const { startTradeSweep } = await import("./server/trade/sweepSchedule");
  startTradeSweep(getDb, Number(process.env.HALFHOUR_SWEEP_SECONDS ?? 60));
}
