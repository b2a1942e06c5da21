import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  unique,
} from "drizzle-orm/pg-core";
import { createdAt, instant, snowflake } from "./columns";
import { teachers } from "./identity";
import { lessons, orders } from "./trade";

/**
 * What a lesson's consumed time earned (issue 6, item 8): written once per lesson whose time
 * was used — completed, no-show, or cancelled late by the student (forfeited) — in the same
 * transaction that consumed the time. `gross` is the lesson's share of what the order was
 * paid (server/settlement/lessonValue.ts); the platform keeps `commission` (its rate at the
 * time, in basis points), the teacher's payable gets `net`. A weekly payout picks it up.
 */
export const lessonSettlements = pgTable(
  "lesson_settlements",
  {
    lessonId: snowflake()
      .primaryKey()
      .references(() => lessons.id),
    orderId: snowflake()
      .notNull()
      .references(() => orders.id),
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id),
    currency: char({ length: 3 }).notNull(),
    slots: smallint().notNull(),
    gross: integer().notNull(),
    commissionBps: integer().notNull(),
    commission: integer().notNull(),
    net: integer().notNull(),
    /** The ledger posting (reference `settlement`, the lesson id); null when gross is 0. */
    ledgerTransactionId: bigint({ mode: "number" }),
    payoutId: snowflake().references(() => payouts.id),
    settledAt: instant().notNull(),
  },
  (t) => [
    index().on(t.teacherId, t.settledAt),
    index("lesson_settlements_unpaid_idx")
      .on(t.teacherId, t.currency, t.settledAt)
      .where(sql`${t.payoutId} IS NULL`),
    index().on(t.orderId),
    index().on(t.payoutId),
    check(
      "lesson_settlements_amounts",
      sql`${t.slots} > 0 AND ${t.gross} >= 0 AND ${t.commission} BETWEEN 0 AND ${t.gross} AND ${t.net} = ${t.gross} - ${t.commission} AND ${t.commissionBps} BETWEEN 0 AND 10000`,
    ),
  ],
);

export const payoutStatus = pgEnum("payout_status", ["paid"]);

/**
 * One teacher's payout for one weekly run (no bank integration: the run's CSV is what goes to
 * the bank). It sums the teacher's settlements settled before the run's cut-off and not paid
 * out yet, and moves that money out of their payable (reference `payout`). One payout per
 * (teacher, currency, period end), so running a week again changes nothing.
 */
export const payouts = pgTable(
  "payouts",
  {
    id: snowflake().primaryKey(),
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id),
    currency: char({ length: 3 }).notNull(),
    amount: integer().notNull(),
    lessons: integer().notNull(),
    /** The run's cut-off (exclusive): settlements before it are included. */
    periodEnd: instant().notNull(),
    status: payoutStatus().notNull().default("paid"),
    ledgerTransactionId: bigint({ mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("payouts_teacher_period_unique").on(t.teacherId, t.currency, t.periodEnd),
    index().on(t.periodEnd),
    check("payouts_amount", sql`${t.amount} > 0 AND ${t.lessons} > 0`),
  ],
);
