import type { Database } from "../../db/client";
import { sweepTrade } from "./sweepTrade";

const holder = globalThis as unknown as { halfhourSweep?: ReturnType<typeof setInterval> };
const WARN_EVERY_MS = 60_000;

/**
 * Runs the trade sweep every `intervalSeconds` in this server process (0 turns it off). Only
 * tidiness depends on it — reads and bookings already treat lapsed holds as free — so a
 * missed or duplicated run (several instances) does no harm; each step re-checks under a lock.
 * A deployment may instead run `npm run jobs:sweep` from cron and set the interval to 0.
 */
export function startTradeSweep(db: () => Database, intervalSeconds: number): void {
  if (holder.halfhourSweep || intervalSeconds <= 0) return;
  let running = false;
  let lastWarning = 0;
  holder.halfhourSweep = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const outcome = await sweepTrade(db());
      if (Object.values(outcome).some((count) => count > 0)) {
        console.info("[halfhour] trade sweep", outcome);
      }
    } catch (error) {
      if (Date.now() - lastWarning > WARN_EVERY_MS) {
        lastWarning = Date.now();
        console.warn("[halfhour] trade sweep failed; retrying on the next run:", String(error));
      }
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  holder.halfhourSweep.unref?.();
}
