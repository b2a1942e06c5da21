import { stringify } from "csv-stringify/sync";
import { asc, desc, eq, gte, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { payouts, teachers } from "../../db/schema";
import { WEEK_MS } from "./payoutWeek";

export interface PayoutRunSummary {
  periodEnd: Date;
  teachers: number;
  lessons: number;
  /** Per currency, in minor units. */
  totals: { currency: string; amount: number }[];
}

/** The payout runs (one per period end), newest first, for the admin page. */
export async function listPayoutRuns(db: Executor, limit = 52): Promise<PayoutRunSummary[]> {
  const runs = await db
    .select({
      periodEnd: payouts.periodEnd,
      teachers: sql<number>`count(DISTINCT ${payouts.teacherId})::int`,
      lessons: sql<number>`sum(${payouts.lessons})::int`,
    })
    .from(payouts)
    .groupBy(payouts.periodEnd)
    .orderBy(desc(payouts.periodEnd))
    .limit(limit);
  if (runs.length === 0) return [];
  const totals = await db
    .select({
      periodEnd: payouts.periodEnd,
      currency: payouts.currency,
      amount: sql<string>`sum(${payouts.amount})::text`,
    })
    .from(payouts)
    .where(gte(payouts.periodEnd, runs[runs.length - 1]!.periodEnd))
    .groupBy(payouts.periodEnd, payouts.currency)
    .orderBy(asc(payouts.currency));
  return runs.map((run) => ({
    ...run,
    totals: totals
      .filter((t) => t.periodEnd.getTime() === run.periodEnd.getTime())
      .map((t) => ({ currency: t.currency, amount: Number(t.amount) })),
  }));
}

/** The payouts of one run, by teacher name, for its CSV export. */
export async function payoutRunRows(db: Executor, periodEnd: Date) {
  return db
    .select({
      teacherId: payouts.teacherId,
      teacherName: teachers.displayName,
      currency: payouts.currency,
      amount: payouts.amount,
      lessons: payouts.lessons,
      periodEnd: payouts.periodEnd,
    })
    .from(payouts)
    .innerJoin(teachers, eq(teachers.id, payouts.teacherId))
    .where(eq(payouts.periodEnd, periodEnd))
    .orderBy(asc(teachers.displayName), asc(payouts.teacherId), asc(payouts.currency));
}

/** Minor units as a plain decimal in major units ("1234.50"); every currency here has cents. */
export const majorUnits = (minor: number) =>
  `${minor < 0 ? "-" : ""}${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, "0")}`;

const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * One run as CSV for the bank (RFC 4180 via csv-stringify). The period is the week before the
 * cut-off; a payout also carries older settlements a missed run left behind.
 */
export function payoutRunCsv(rows: Awaited<ReturnType<typeof payoutRunRows>>): string {
  return stringify(
    rows.map((r) => [
      r.teacherId,
      r.teacherName,
      r.currency,
      majorUnits(r.amount),
      r.lessons,
      day(new Date(r.periodEnd.getTime() - WEEK_MS)),
      day(new Date(r.periodEnd.getTime() - 1)),
    ]),
    {
      header: true,
      columns: [
        "teacher_id",
        "teacher_name",
        "currency",
        "amount",
        "lessons",
        "period_start",
        "period_end",
      ],
    },
  );
}
