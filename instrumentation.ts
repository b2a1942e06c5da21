/**
 * Runs once when the Next.js server starts. In the embedded default (no DATABASE_URL) it
 * migrates and seeds the PGlite database before the first request is served.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.DATABASE_URL) return;
  const { prepareEmbeddedDatabase } = await import("./db/embedded");
  await prepareEmbeddedDatabase();
}
