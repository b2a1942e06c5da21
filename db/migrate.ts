/** `npm run db:migrate`: migrate DATABASE_URL, or the embedded database when it is unset. */
import { databaseHandle } from "./client";
import { migrateDatabase } from "./migrator";

const handle = databaseHandle();
await migrateDatabase(handle);
console.info(`migrations applied (${handle.driver})`);
await handle.close();
