import { desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { reconciliationRuns } from "../../db/schema";
import {
  type CheckResult,
  checkLedger,
  checkOrders,
  checkPayments,
  checkPayouts,
  checkRefunds,
  checkSettlements,
  type Mismatch,
} from "./moneyChecks";

export type ReconciliationRun = Omit<typeof reconciliationRuns.$inferSelect, "mismatches"> & {
  mismatches: Mismatch[];
};

const CHECKS = {
  ledger: checkLedger,
  payments: checkPayments,
  orders: checkOrders,
  settlements: checkSettlements,
  payouts: checkPayouts,
  refunds: checkRefunds,
} as const;

/** The longest list of mismatches a run stores; the count is always exact. */
const STORED_MISMATCHES = 1_000;

/**
 * The reconciliation job (issue 6, item 9): every check reads one REPEATABLE READ snapshot
 * (read only), so money moving meanwhile cannot look half-done; the report is then stored.
 * Expected: no mismatches.
 */
export async function runReconciliation(
  db: Database,
  trigger: { kind: "command" | "admin" | "schedule"; userId?: string | null },
): Promise<ReconciliationRun> {
  const startedAt = new Date();
  const results = await db.transaction(
    async (tx) => {
      const out: Record<string, CheckResult> = {};
      for (const [name, check] of Object.entries(CHECKS)) out[name] = await check(tx);
      return out;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  const mismatches = Object.values(results).flatMap((r) => r.mismatches);
  const [run] = await db
    .insert(reconciliationRuns)
    .values({
      trigger: trigger.kind,
      triggeredBy: trigger.userId ?? null,
      startedAt,
      finishedAt: new Date(),
      checked: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.checked])),
      mismatchCount: mismatches.length,
      mismatches: mismatches.slice(0, STORED_MISMATCHES),
    })
    .returning();
  return run as ReconciliationRun;
}

/** The latest runs, newest first. */
export async function recentReconciliationRuns(db: Database, limit = 20) {
  const runs = await db
    .select()
    .from(reconciliationRuns)
    .orderBy(desc(reconciliationRuns.id))
    .limit(limit);
  return runs as ReconciliationRun[];
}

export async function reconciliationRun(db: Database, id: number) {
  const [run] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
  return (run as ReconciliationRun | undefined) ?? null;
}

/** The report as the command prints it. */
export function describeRun(run: ReconciliationRun): string {
  const lines = [
    `reconciliation #${run.id}: ${run.mismatchCount} mismatch(es)`,
    `checked ${Object.entries(run.checked)
      .map(([k, n]) => `${k}=${n}`)
      .join(" ")}`,
  ];
  for (const m of run.mismatches) lines.push(`  [${m.check}] ${m.kind} ${m.subject}: ${m.detail}`);
  if (run.mismatchCount > run.mismatches.length) {
    lines.push(`  … and ${run.mismatchCount - run.mismatches.length} more`);
  }
  return lines.join("\n");
}
