/**
 * `npm run jobs:payouts`: the weekly payout run against DATABASE_URL (or the embedded
 * database), for cron (e.g. Mondays). Pays everything settled before this week; a rerun of
 * the same week changes nothing.
 */
import { databaseHandle } from "../db/client";
import { majorUnits } from "../server/settlement/payoutRuns";
import { runWeeklyPayouts } from "../server/settlement/runPayouts";

const handle = databaseHandle();
try {
  const run = await runWeeklyPayouts(handle.db);
  const totals = new Map<string, number>();
  for (const p of run.created) totals.set(p.currency, (totals.get(p.currency) ?? 0) + p.amount);
  const summary = [...totals].map(([c, a]) => `${majorUnits(a)} ${c}`).join(", ") || "nothing";
  console.info(
    `payouts before ${run.periodEnd.toISOString()}: ${run.created.length} payouts, ${summary}`,
  );
} finally {
  await handle.close();
}
