/**
 * `npm run reconcile`: checks all money records against each other (balances vs ledger,
 * payments vs gateway callbacks, paid orders vs payments, settlements vs lessons, payouts,
 * refunds), prints the report, stores it, and exits 1 when anything disagrees (for cron).
 */
import { databaseHandle } from "../db/client";
import { describeRun, runReconciliation } from "../server/reconciliation/runReconciliation";

const handle = databaseHandle();
try {
  const run = await runReconciliation(handle.db, { kind: "command" });
  console.info(describeRun(run));
  process.exitCode = run.mismatchCount === 0 ? 0 : 1;
} finally {
  await handle.close();
}
