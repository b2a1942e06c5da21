/**
 * `npm run jobs:sweep`: one trade sweep against DATABASE_URL (or the embedded database), for
 * deployments that schedule it with cron instead of (or besides) the in-process interval.
 */
import { databaseHandle } from "../db/client";
import { sweepTrade } from "../server/trade/sweepTrade";

const handle = databaseHandle();
try {
  const outcome = await sweepTrade(handle.db);
  console.info(`trade sweep: ${JSON.stringify(outcome)}`);
} finally {
  await handle.close();
}
