import { databaseHandle } from "./client";
import { migrateDatabase } from "./migrator";
import { isSeeded, seedDemo } from "./seed/seedDemo";

/**
 * First start of the embedded default: migrate the PGlite database under .data/ and load the
 * demo marketplace when it is empty, so one command gives a working app. Later starts only
 * apply new migrations.
 */
export async function prepareEmbeddedDatabase(): Promise<void> {
  const handle = databaseHandle();
  await migrateDatabase(handle);
  if (!(await isSeeded(handle.db))) {
    const started = performance.now();
    const counts = await seedDemo(handle.db);
    console.info(
      `[halfhour] embedded database seeded in ${Math.round(performance.now() - started)} ms`,
      counts,
    );
  }
}
