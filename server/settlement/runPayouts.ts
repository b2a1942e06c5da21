import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { lessonSettlements, payouts } from "../../db/schema";
import { newId } from "../ids/snowflake";
import { platformAccount, teacherPayableAccount } from "../ledger/ledgerAccounts";
import { postTransaction } from "../ledger/postTransaction";
import { tradeTransaction } from "../trade/tradeTransaction";
import { payoutCutoff } from "./payoutWeek";

export type PayoutRow = typeof payouts.$inferSelect;

export interface PayoutRunOutcome {
  /** The run's cut-off: settlements before it were considered. */
  periodEnd: Date;
  /** The payouts this run created (none when the week had been run already). */
  created: PayoutRow[];
}

/**
 * The weekly payout run (`npm run jobs:payouts`, or the admin button): for every teacher with
 * settlements not yet paid out that were settled before the start of the current week (Monday
 * 00:00 UTC), one payout per currency whose sum is positive, in one transaction per teacher:
 * the payout row, its settlements linked to it, and the money moved out of the teacher's
 * payable to the outside world (`teacher_payable −a, gateway_clearing +a`, reference
 * `payout`). No bank integration: the run's CSV export is what goes to the bank.
 *
 * Safe to run again and concurrently: a teacher's work is serialized by a transaction-scoped
 * advisory lock, and a (teacher, currency, period end) that has a payout is skipped — so a
 * rerun is a no-op, and two racing runs make one payout per teacher. Settlements that arrive
 * after a week was paid (only possible with a `now` in the past) wait for the next run.
 */
export async function runWeeklyPayouts(db: Database, now = new Date()): Promise<PayoutRunOutcome> {
  const periodEnd = payoutCutoff(now);
  const due = await db
    .selectDistinct({ teacherId: lessonSettlements.teacherId })
    .from(lessonSettlements)
    .where(and(isNull(lessonSettlements.payoutId), lt(lessonSettlements.settledAt, periodEnd)))
    .orderBy(asc(lessonSettlements.teacherId));
  const created: PayoutRow[] = [];
  for (const { teacherId } of due) {
    created.push(...(await tradeTransaction(db, (tx) => payTeacher(tx, teacherId, periodEnd))));
  }
  return { periodEnd, created };
}

async function payTeacher(
  tx: Transaction,
  teacherId: string,
  periodEnd: Date,
): Promise<PayoutRow[]> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`payout:${teacherId}`}, 0))`,
  );
  const unpaid = await tx
    .select({
      lessonId: lessonSettlements.lessonId,
      currency: lessonSettlements.currency,
      net: lessonSettlements.net,
    })
    .from(lessonSettlements)
    .where(
      and(
        eq(lessonSettlements.teacherId, teacherId),
        isNull(lessonSettlements.payoutId),
        lt(lessonSettlements.settledAt, periodEnd),
      ),
    )
    .orderBy(asc(lessonSettlements.lessonId))
    .for("update");
  const byCurrency = new Map<string, typeof unpaid>();
  for (const row of unpaid)
    byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), row]);

  const made: PayoutRow[] = [];
  for (const [currency, rows] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    const amount = rows.reduce((sum, r) => sum + r.net, 0);
    if (amount <= 0) continue;
    const [paid] = await tx
      .select({ id: payouts.id })
      .from(payouts)
      .where(
        and(
          eq(payouts.teacherId, teacherId),
          eq(payouts.currency, currency),
          eq(payouts.periodEnd, periodEnd),
        ),
      )
      .limit(1);
    if (paid) continue;
    const id = newId();
    const payable = await teacherPayableAccount(tx, teacherId, currency);
    const clearing = await platformAccount(tx, "gateway_clearing", currency);
    const posting = await postTransaction(tx, {
      reference: { kind: "payout", id, purpose: "payout" },
      memo: `weekly payout, settlements before ${periodEnd.toISOString().slice(0, 10)}`,
      lines: [
        { accountId: payable.id, currency, amount: -amount },
        { accountId: clearing.id, currency, amount },
      ],
    });
    const [payout] = await tx
      .insert(payouts)
      .values({
        id,
        teacherId,
        currency,
        amount,
        lessons: rows.length,
        periodEnd,
        ledgerTransactionId: posting.transaction.id,
      })
      .returning();
    await tx
      .update(lessonSettlements)
      .set({ payoutId: id })
      .where(
        inArray(
          lessonSettlements.lessonId,
          rows.map((r) => r.lessonId),
        ),
      );
    made.push(payout!);
  }
  return made;
}
