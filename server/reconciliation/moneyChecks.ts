import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../db/client";
import { type LedgerMismatch, findMismatches as ledgerMismatches } from "../ledger/reconcileLedger";

/** One disagreement between two records of the same money. */
export interface Mismatch {
  /** Which check found it. */
  check: "ledger" | "payments" | "orders" | "settlements" | "payouts" | "refunds";
  kind: string;
  /** The record it is about, e.g. "payment 123", "lesson 456", "account 789". */
  subject: string;
  /** What disagrees, in words an operator can act on. */
  detail: string;
}

export interface CheckResult {
  /** Rows examined. */
  checked: number;
  mismatches: Mismatch[];
}

type Row = Record<string, unknown>;

async function rows<T extends Row>(db: Executor, query: SQL): Promise<T[]> {
  return queryRows<T>(db, query);
}

async function count(db: Executor, query: SQL): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, query);
  return Number(row?.n ?? 0);
}

/**
 * The currencies where a platform account's balance differs from what the business records
 * say it should be (`expected`: rows of currency and amount); a missing side counts as 0.
 */
async function platformBalanceAgainst(db: Executor, kind: string, expected: SQL) {
  return rows<{ currency: string; balance: string; expected: string }>(
    db,
    sql`
    WITH expected AS (${expected})
    SELECT coalesce(a.currency, e.currency) AS currency, coalesce(a.balance, 0)::text AS balance,
      coalesce(e.amount, 0)::text AS expected
    FROM (SELECT * FROM ledger_accounts WHERE kind = ${kind}::ledger_account_kind) a
    FULL JOIN expected e ON e.currency = a.currency
    WHERE coalesce(a.balance, 0) <> coalesce(e.amount, 0)`,
  );
}

/** Statuses of a payment whose money was collected. */
const COLLECTED = sql`('succeeded', 'partially_refunded', 'refunded')`;
/** Order statuses reached only through a payment. */
const PAID_ORDER = sql`('paid', 'active', 'completed', 'refund_requested', 'refunded', 'partially_refunded')`;

function ledgerMismatch(m: LedgerMismatch): Mismatch {
  switch (m.kind) {
    case "balance":
      return {
        check: "ledger",
        kind: m.kind,
        subject: `account ${m.accountId}`,
        detail: `balance ${m.balance}, entries sum to ${m.entriesSum}`,
      };
    case "last_entry":
      return {
        check: "ledger",
        kind: m.kind,
        subject: `account ${m.accountId}`,
        detail: `last entry id ${m.lastEntryId}, newest entry ${m.newestEntryId}`,
      };
    case "unbalanced_transaction":
      return {
        check: "ledger",
        kind: m.kind,
        subject: `posting ${m.transactionId}`,
        detail: `${m.currency} entries sum to ${m.sum}`,
      };
    case "thin_transaction":
      return {
        check: "ledger",
        kind: m.kind,
        subject: `posting ${m.transactionId}`,
        detail: `${m.entries} entries`,
      };
    case "currency_total":
      return {
        check: "ledger",
        kind: m.kind,
        subject: `currency ${m.currency}`,
        detail: `all balances sum to ${m.sum}`,
      };
  }
}

/** Balances against entries, postings summing to zero (server/ledger/reconcileLedger.ts). */
export async function checkLedger(db: Executor): Promise<CheckResult> {
  const found = await ledgerMismatches(db);
  return {
    checked: await count(db, sql`SELECT count(*) AS n FROM ledger_accounts`),
    mismatches: found.map(ledgerMismatch),
  };
}

/**
 * Payment orders against the stored gateway callbacks and the ledger: a collected gateway
 * payment has exactly its application and an `applied` callback under that transaction id;
 * every application belongs to a collected payment; a collected payment was posted, an
 * uncollected one never was.
 */
export async function checkPayments(db: Executor): Promise<CheckResult> {
  const mismatches: Mismatch[] = [];
  const unbacked = await rows<{ id: string; tx: string | null; problem: string }>(
    db,
    sql`
    SELECT p.id::text AS id, p.gateway_transaction_id AS tx,
      CASE
        WHEN a.payment_id IS NULL THEN 'no application'
        WHEN a.transaction_id IS DISTINCT FROM p.gateway_transaction_id THEN 'application under another transaction id'
        ELSE 'no applied callback stored'
      END AS problem
    FROM payments p
    LEFT JOIN payment_applications a ON a.payment_id = p.id
    WHERE p.status IN ${COLLECTED} AND p.from_gateway > 0
      AND (a.payment_id IS NULL
        OR a.transaction_id IS DISTINCT FROM p.gateway_transaction_id
        OR NOT EXISTS (
          SELECT 1 FROM gateway_callbacks c
          WHERE c.payment_id = p.id AND c.outcome = 'applied' AND c.transaction_id = a.transaction_id))
    ORDER BY p.id`,
  );
  for (const p of unbacked) {
    mismatches.push({
      check: "payments",
      kind: "collected_without_callback",
      subject: `payment ${p.id}`,
      detail: `collected through a gateway (transaction ${p.tx ?? "none"}), but ${p.problem}`,
    });
  }
  const orphans = await rows<{ id: string; status: string; tx: string }>(
    db,
    sql`
    SELECT p.id::text AS id, p.status::text AS status, a.transaction_id AS tx
    FROM payment_applications a JOIN payments p ON p.id = a.payment_id
    WHERE p.status NOT IN ${COLLECTED}
    ORDER BY p.id`,
  );
  for (const p of orphans) {
    mismatches.push({
      check: "payments",
      kind: "application_not_collected",
      subject: `payment ${p.id}`,
      detail: `transaction ${p.tx} was applied but the payment is ${p.status}`,
    });
  }
  const posting = await rows<{ id: string; status: string; postings: number }>(
    db,
    sql`
    SELECT p.id::text AS id, p.status::text AS status,
      (SELECT count(*) FROM ledger_transactions t
        WHERE t.reference_kind = 'payment' AND t.reference_id = p.id::text)::int AS postings
    FROM payments p
    WHERE (p.status IN ${COLLECTED} AND p.amount > 0) <> EXISTS (
      SELECT 1 FROM ledger_transactions t
      WHERE t.reference_kind = 'payment' AND t.reference_id = p.id::text)
    ORDER BY p.id`,
  );
  for (const p of posting) {
    mismatches.push({
      check: "payments",
      kind: p.postings === 0 ? "collected_not_posted" : "posted_not_collected",
      subject: `payment ${p.id}`,
      detail:
        p.postings === 0
          ? `the payment is ${p.status} but the ledger has no posting for it`
          : `the ledger has ${p.postings} posting(s) for a payment that is ${p.status}`,
    });
  }
  return { checked: await count(db, sql`SELECT count(*) AS n FROM payments`), mismatches };
}

/**
 * Trade orders against payments: an order is paid exactly when one collected payment has an
 * item for it marked `paid`, and then it knows what it was paid.
 */
export async function checkOrders(db: Executor): Promise<CheckResult> {
  const found = await rows<{
    id: string;
    status: string;
    paying: number;
    paid_amount: number | null;
  }>(
    db,
    sql`
    SELECT o.id::text AS id, o.status::text AS status, o.paid_amount,
      (SELECT count(*) FROM payment_items i JOIN payments p ON p.id = i.payment_id
        WHERE i.order_id = o.id AND i.outcome = 'paid' AND p.status IN ${COLLECTED})::int AS paying
    FROM orders o
    WHERE (o.status IN ${PAID_ORDER}) <> (o.paid_at IS NOT NULL)
       OR (o.paid_at IS NOT NULL) <> (o.paid_amount IS NOT NULL)
       OR (SELECT count(*) FROM payment_items i JOIN payments p ON p.id = i.payment_id
            WHERE i.order_id = o.id AND i.outcome = 'paid' AND p.status IN ${COLLECTED})
          <> (CASE WHEN o.status IN ${PAID_ORDER} THEN 1 ELSE 0 END)
    ORDER BY o.id`,
  );
  return {
    checked: await count(db, sql`SELECT count(*) AS n FROM orders`),
    mismatches: found.map((o) => ({
      check: "orders",
      kind: "paid_without_payment",
      subject: `order ${o.id}`,
      detail: `the order is ${o.status} (paid amount ${o.paid_amount ?? "unset"}); collected payments marking it paid: ${o.paying}`,
    })),
  };
}

/**
 * Settlements against the lessons whose time was used (completed, no-show, or cancelled late
 * with the hours forfeited): exactly one settlement each, posted when worth anything; per
 * order the settlements add up to what its used half hours are worth.
 */
export async function checkSettlements(db: Executor): Promise<CheckResult> {
  const mismatches: Mismatch[] = [];
  const consumed = sql`(l.status IN ('completed', 'no_show') OR (l.status = 'cancelled' AND l.hours_returned = false))`;
  const lessonsOff = await rows<{ id: string; status: string; settled: boolean }>(
    db,
    sql`
    SELECT l.id::text AS id, l.status::text AS status, (s.lesson_id IS NOT NULL) AS settled
    FROM lessons l LEFT JOIN lesson_settlements s ON s.lesson_id = l.id
    WHERE ${consumed} <> (s.lesson_id IS NOT NULL)
    ORDER BY l.id`,
  );
  for (const l of lessonsOff) {
    mismatches.push({
      check: "settlements",
      kind: l.settled ? "settled_not_consumed" : "consumed_not_settled",
      subject: `lesson ${l.id}`,
      detail: l.settled
        ? `the lesson is ${l.status} but has a settlement`
        : `the lesson is ${l.status.replace("_", "-")} but the teacher was not credited`,
    });
  }
  const unposted = await rows<{ id: string; gross: number }>(
    db,
    sql`
    SELECT s.lesson_id::text AS id, s.gross
    FROM lesson_settlements s
    WHERE (s.gross > 0) <> EXISTS (
      SELECT 1 FROM ledger_transactions t
      WHERE t.reference_kind = 'settlement' AND t.reference_id = s.lesson_id::text)
    ORDER BY s.lesson_id`,
  );
  for (const s of unposted) {
    mismatches.push({
      check: "settlements",
      kind: "settlement_not_posted",
      subject: `lesson ${s.id}`,
      detail: `settlement of ${s.gross} and the ledger disagree on whether it was posted`,
    });
  }
  const orderSums = await rows<{ id: string; settled: string; expected: string }>(
    db,
    sql`
    SELECT o.id::text AS id, coalesce(sum(s.gross), 0)::text AS settled,
      floor(o.paid_amount::numeric * o.slots_used / o.slots_bought)::bigint::text AS expected
    FROM orders o LEFT JOIN lesson_settlements s ON s.order_id = o.id
    WHERE o.paid_amount IS NOT NULL
    GROUP BY o.id
    HAVING coalesce(sum(s.gross), 0) <> floor(o.paid_amount::numeric * o.slots_used / o.slots_bought)
    ORDER BY o.id`,
  );
  for (const o of orderSums) {
    mismatches.push({
      check: "settlements",
      kind: "order_settled_amount",
      subject: `order ${o.id}`,
      detail: `settlements sum to ${o.settled}, its used time is worth ${o.expected}`,
    });
  }
  return {
    checked: await count(db, sql`SELECT count(*) AS n FROM lessons l WHERE ${consumed}`),
    mismatches,
  };
}

/**
 * Payouts against settlements and the teachers' payables: a payout is the sum of the
 * settlements it took, and each teacher's payable is what was settled minus what was paid out.
 */
export async function checkPayouts(db: Executor): Promise<CheckResult> {
  const mismatches: Mismatch[] = [];
  const sums = await rows<{
    id: string;
    amount: number;
    settled: string;
    lessons: number;
    n: number;
  }>(
    db,
    sql`
    SELECT p.id::text AS id, p.amount, p.lessons, coalesce(sum(s.net), 0)::text AS settled,
      count(s.lesson_id)::int AS n
    FROM payouts p LEFT JOIN lesson_settlements s ON s.payout_id = p.id
    GROUP BY p.id
    HAVING p.amount <> coalesce(sum(s.net), 0) OR p.lessons <> count(s.lesson_id)
    ORDER BY p.id`,
  );
  for (const p of sums) {
    mismatches.push({
      check: "payouts",
      kind: "payout_amount",
      subject: `payout ${p.id}`,
      detail: `pays ${p.amount} for ${p.lessons} lessons; its settlements: ${p.settled} for ${p.n}`,
    });
  }
  const payables = await rows<{
    teacher: string;
    currency: string;
    balance: string;
    expected: string;
  }>(
    db,
    sql`
    WITH expected AS (
      SELECT teacher_id, currency, sum(amount) AS amount FROM (
        SELECT teacher_id, currency, net AS amount FROM lesson_settlements
        UNION ALL
        SELECT teacher_id, currency, -amount FROM payouts
      ) x GROUP BY teacher_id, currency
    )
    SELECT coalesce(a.owner_teacher_id, e.teacher_id)::text AS teacher,
      coalesce(a.currency, e.currency) AS currency,
      coalesce(a.balance, 0)::text AS balance, coalesce(e.amount, 0)::text AS expected
    FROM (SELECT * FROM ledger_accounts WHERE kind = 'teacher_payable') a
    FULL JOIN expected e ON e.teacher_id = a.owner_teacher_id AND e.currency = a.currency
    WHERE coalesce(a.balance, 0) <> coalesce(e.amount, 0)
    ORDER BY 1, 2`,
  );
  for (const p of payables) {
    mismatches.push({
      check: "payouts",
      kind: "teacher_payable",
      subject: `teacher ${p.teacher}`,
      detail: `${p.currency} payable is ${p.balance}; settled minus paid out is ${p.expected}`,
    });
  }
  return { checked: await count(db, sql`SELECT count(*) AS n FROM payouts`), mismatches };
}

/**
 * Refunds against the ledger and the platform accounts: an approved refund was posted; money
 * owed back through gateways (refunds payable) is exactly the gateway part of refunds still
 * in progress; and what students prepaid (prepaid lessons) is exactly what paid orders were
 * paid minus what their lessons settled and their refunds returned.
 */
export async function checkRefunds(db: Executor): Promise<CheckResult> {
  const mismatches: Mismatch[] = [];
  const unposted = await rows<{ id: string; status: string }>(
    db,
    sql`
    SELECT r.id::text AS id, r.status::text AS status FROM refunds r
    WHERE (r.status IN ('processing', 'succeeded') AND r.amount > 0) <> EXISTS (
      SELECT 1 FROM ledger_transactions t
      WHERE t.reference_kind = 'refund' AND t.reference_id = r.id::text)
    ORDER BY r.id`,
  );
  for (const r of unposted) {
    mismatches.push({
      check: "refunds",
      kind: "refund_posting",
      subject: `refund ${r.id}`,
      detail: `the refund is ${r.status} and the ledger disagrees on whether it was posted`,
    });
  }
  const payable = await platformBalanceAgainst(
    db,
    "refunds_payable",
    sql`SELECT currency, sum(to_gateway) AS amount FROM refunds WHERE status = 'processing'
        GROUP BY currency`,
  );
  for (const p of payable) {
    mismatches.push({
      check: "refunds",
      kind: "refunds_payable",
      subject: `currency ${p.currency}`,
      detail: `refunds payable is ${p.balance}; gateway refunds in progress total ${p.expected}`,
    });
  }
  const prepaid = await platformBalanceAgainst(
    db,
    "prepaid_lessons",
    sql`SELECT currency, sum(amount) AS amount FROM (
          SELECT currency, paid_amount AS amount FROM orders WHERE paid_amount IS NOT NULL
          UNION ALL SELECT currency, -gross FROM lesson_settlements
          UNION ALL SELECT currency, -amount FROM refunds WHERE status IN ('processing', 'succeeded')
        ) x GROUP BY currency`,
  );
  for (const p of prepaid) {
    mismatches.push({
      check: "refunds",
      kind: "prepaid_lessons",
      subject: `currency ${p.currency}`,
      detail: `prepaid lessons is ${p.balance}; paid orders minus settled and refunded is ${p.expected}`,
    });
  }
  return { checked: await count(db, sql`SELECT count(*) AS n FROM refunds`), mismatches };
}
