/**
 * `npm run db:seed [-- --reset]`: migrate, then load the demo marketplace into DATABASE_URL or
 * the embedded database. Refuses to seed a database that already has data unless --reset.
 */
import { databaseHandle } from "../client";
import { migrateDatabase } from "../migrator";
import { emptyDatabase, isSeeded, seedDemo } from "./seedDemo";

const handle = databaseHandle();
try {
  await migrateDatabase(handle);
  if (await isSeeded(handle.db)) {
    if (!process.argv.includes("--reset")) {
      console.info("database already has data; run with --reset to replace it");
      process.exit(0);
    }
    await emptyDatabase(handle.db);
  }
  const started = performance.now();
  const counts = await seedDemo(handle.db);
  console.info(
    `seeded ${handle.driver} in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(counts)}`,
  );
} finally {
  await handle.close();
}
