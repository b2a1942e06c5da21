import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns";
import { users } from "./identity";

export const reconciliationTrigger = pgEnum("reconciliation_trigger", [
  "command",
  "admin",
  "schedule",
]);

/**
 * One run of the reconciliation job (issue 6, item 9) and what it found: balances against
 * ledger sums, payments against stored gateway callbacks, paid orders against succeeded
 * payments, settlements against consumed lessons. Expected: no mismatches.
 */
export const reconciliationRuns = pgTable(
  "reconciliation_runs",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    trigger: reconciliationTrigger().notNull(),
    triggeredBy: uuid().references(() => users.id),
    startedAt: createdAt(),
    finishedAt: instant().notNull(),
    /** Rows examined per check, e.g. {"accounts": 120, "payments": 40}. */
    checked: jsonb().$type<Record<string, number>>().notNull(),
    mismatchCount: integer().notNull(),
    /** Each mismatch: its check, kind, the record it is about and the figures that disagree. */
    mismatches: jsonb().$type<unknown[]>().notNull(),
  },
  (t) => [
    index().on(t.startedAt),
    check("reconciliation_runs_count", sql`${t.mismatchCount} >= 0`),
  ],
);
