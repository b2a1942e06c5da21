import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import {
  ledgerAccounts,
  lessonSettlements,
  lessons,
  orders,
  payouts,
  teachers,
  users,
} from "../../db/schema";
import { commissionSplit, lessonValue } from "./lessonValue";
import { recentWeeks, weeklyTotals } from "./payoutWeek";
import { commissionBpsFor } from "./settlementSettings";

/** Orders whose booked hours will be taken (or forfeited) and so will earn. */
const EARNING_STATUSES = ["paid", "active", "refund_requested"] as const;
export const CHART_WEEKS = 12;
const RECENT = 20;

export interface CurrencyEarnings {
  currency: string;
  /** Net of the lessons booked and not yet taken, at the current rate: an estimate. */
  pending: number;
  /** What the platform owes now: the teacher_payable balance. */
  payable: number;
  /** Everything paid out so far. */
  paidOut: number;
}

/**
 * A teacher's earnings page: pending, payable and paid out per currency; net earnings per
 * week for the last 12 weeks (the current one last); recent settlements and payouts.
 */
export async function teacherEarnings(db: Executor, teacherId: string, now: Date) {
  const [teacher] = await db
    .select({ commissionBps: teachers.commissionBps })
    .from(teachers)
    .where(eq(teachers.id, teacherId));
  const bps = commissionBpsFor({ commissionBps: teacher?.commissionBps ?? null });

  const open = await db
    .select({
      currency: orders.currency,
      paidAmount: orders.paidAmount,
      payableAmount: orders.payableAmount,
      slotsBought: orders.slotsBought,
      slotsUsed: orders.slotsUsed,
      slotsBooked: orders.slotsBooked,
    })
    .from(orders)
    .where(
      and(
        eq(orders.teacherId, teacherId),
        inArray(orders.status, [...EARNING_STATUSES]),
        sql`${orders.slotsBooked} > 0`,
      ),
    );
  const accounts = await db
    .select({ currency: ledgerAccounts.currency, balance: ledgerAccounts.balance })
    .from(ledgerAccounts)
    .where(
      and(eq(ledgerAccounts.kind, "teacher_payable"), eq(ledgerAccounts.ownerTeacherId, teacherId)),
    );
  const paidOut = await db
    .select({ currency: payouts.currency, total: sql<string>`sum(${payouts.amount})::text` })
    .from(payouts)
    .where(eq(payouts.teacherId, teacherId))
    .groupBy(payouts.currency);

  const byCurrency = new Map<string, CurrencyEarnings>();
  const entry = (currency: string) => {
    let e = byCurrency.get(currency);
    if (!e) {
      e = { currency, pending: 0, payable: 0, paidOut: 0 };
      byCurrency.set(currency, e);
    }
    return e;
  };
  for (const o of open) {
    // The booked hours are the next ones to be used, whatever order they are taken in.
    const gross = lessonValue(
      { paid: o.paidAmount ?? o.payableAmount, bought: o.slotsBought, usedBefore: o.slotsUsed },
      o.slotsBooked,
    );
    entry(o.currency).pending += commissionSplit(gross, bps).net;
  }
  for (const a of accounts) entry(a.currency).payable += a.balance;
  for (const p of paidOut) entry(p.currency).paidOut += Number(p.total);

  const weeks = recentWeeks(now, CHART_WEEKS);
  const lately = await db
    .select({
      currency: lessonSettlements.currency,
      at: lessonSettlements.settledAt,
      amount: lessonSettlements.net,
    })
    .from(lessonSettlements)
    .where(
      and(eq(lessonSettlements.teacherId, teacherId), gte(lessonSettlements.settledAt, weeks[0]!)),
    );
  const currencies = [...new Set([...byCurrency.keys(), ...lately.map((s) => s.currency)])].sort();
  const charts = currencies.map((currency) => ({
    currency,
    weeks: weeklyTotals(
      lately.filter((s) => s.currency === currency),
      weeks,
    ),
  }));

  const settlements = await db
    .select({
      lessonId: lessonSettlements.lessonId,
      startsAt: lessons.startsAt,
      lessonStatus: lessons.status,
      studentName: users.name,
      currency: lessonSettlements.currency,
      gross: lessonSettlements.gross,
      commission: lessonSettlements.commission,
      net: lessonSettlements.net,
      settledAt: lessonSettlements.settledAt,
      paidOut: sql<boolean>`${lessonSettlements.payoutId} IS NOT NULL`,
    })
    .from(lessonSettlements)
    .innerJoin(lessons, eq(lessons.id, lessonSettlements.lessonId))
    .innerJoin(users, eq(users.id, lessons.studentId))
    .where(eq(lessonSettlements.teacherId, teacherId))
    .orderBy(desc(lessonSettlements.settledAt), desc(lessonSettlements.lessonId))
    .limit(RECENT);
  const recentPayouts = await db
    .select({
      id: payouts.id,
      currency: payouts.currency,
      amount: payouts.amount,
      lessons: payouts.lessons,
      periodEnd: payouts.periodEnd,
      createdAt: payouts.createdAt,
    })
    .from(payouts)
    .where(eq(payouts.teacherId, teacherId))
    .orderBy(desc(payouts.periodEnd), desc(payouts.id))
    .limit(RECENT);

  return {
    commissionPercent: bps / 100,
    totals: currencies.map((c) => entry(c)),
    charts,
    settlements,
    payouts: recentPayouts,
  };
}
