import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../db/client";
import type { LedgerReferenceKind } from "./ledgerPosting";

export interface StatementLine {
  entryId: number;
  transactionId: number;
  amount: number;
  currency: string;
  /** The account's balance right after this entry. */
  balanceAfter: number;
  referenceKind: LedgerReferenceKind;
  referenceId: string;
  purpose: string;
  memo: string | null;
  createdAt: Date;
}

export interface StatementPage {
  lines: StatementLine[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

const MAX_PAGE = 200;

/**
 * An account's entries, newest first, with the running balance after each (for the wallet
 * and earnings pages and their CSV export). Keyset pagination on the entry id: `before` is
 * the `nextBefore` of the previous page. One statement, so one snapshot: the balance after
 * the page's newest entry is the account's balance minus the entries newer than it.
 */
export async function ledgerStatement(
  db: Executor,
  accountId: string,
  page: { before?: number | null; limit?: number } = {},
): Promise<StatementPage> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 50), 1), MAX_PAGE);
  const before = page.before ?? null;
  const rows = await queryRows<{
    entry_id: string | number;
    transaction_id: string | number;
    amount: string | number;
    currency: string;
    balance_after: string | number;
    reference_kind: LedgerReferenceKind;
    reference_id: string;
    purpose: string;
    memo: string | null;
    created_at: string | Date;
  }>(
    db,
    sql`
    WITH account AS (
      SELECT balance, last_entry_id FROM ledger_accounts WHERE id = ${accountId}
    ), page AS (
      SELECT e.id, e.transaction_id, e.amount, e.currency, e.created_at
      FROM ledger_entries e, account a
      WHERE e.account_id = ${accountId}
        AND e.id <= a.last_entry_id
        AND (${before}::bigint IS NULL OR e.id < ${before}::bigint)
      ORDER BY e.id DESC
      LIMIT ${limit + 1}
    ), newer AS (
      SELECT coalesce(sum(e.amount), 0) AS total
      FROM ledger_entries e, account a
      WHERE e.account_id = ${accountId}
        AND e.id > (SELECT max(id) FROM page)
        AND e.id <= a.last_entry_id
    )
    SELECT p.id AS entry_id, p.transaction_id, p.amount, p.currency, p.created_at,
           (a.balance - n.total - coalesce(sum(p.amount) OVER (
             ORDER BY p.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::text AS balance_after,
           t.reference_kind, t.reference_id, t.purpose, t.memo
    FROM page p
    CROSS JOIN account a
    CROSS JOIN newer n
    JOIN ledger_transactions t ON t.id = p.transaction_id
    ORDER BY p.id DESC`,
  );
  const lines = rows.slice(0, limit).map((r) => ({
    entryId: Number(r.entry_id),
    transactionId: Number(r.transaction_id),
    amount: Number(r.amount),
    currency: r.currency,
    balanceAfter: Number(r.balance_after),
    referenceKind: r.reference_kind,
    referenceId: r.reference_id,
    purpose: r.purpose,
    memo: r.memo,
    createdAt: new Date(r.created_at),
  }));
  return {
    lines,
    nextBefore: rows.length > limit ? lines[lines.length - 1]!.entryId : null,
  };
}
