import { sql } from "drizzle-orm";
import { type Database, type Executor, queryRows } from "../../db/client";

export type LedgerMismatch =
  /** The stored balance is not the sum of the account's entries. */
  | { kind: "balance"; accountId: string; balance: number; entriesSum: number }
  /** The stored last entry id is not the account's newest entry. */
  | {
      kind: "last_entry";
      accountId: string;
      lastEntryId: number | null;
      newestEntryId: number | null;
    }
  /** A posting whose entries do not sum to zero in one currency (the trigger forbids it). */
  | { kind: "unbalanced_transaction"; transactionId: number; currency: string; sum: number }
  /** A posting with fewer than two entries (the trigger forbids it). */
  | { kind: "thin_transaction"; transactionId: number; entries: number }
  /** All balances of one currency do not sum to zero (follows from the two above). */
  | { kind: "currency_total"; currency: string; sum: number };

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * Proves the ledger's invariants from the rows themselves; expected answer: none. Runs in one
 * read-only REPEATABLE READ snapshot, so postings committing meanwhile cannot show up as
 * half-applied.
 */
export async function reconcileLedger(db: Database): Promise<LedgerMismatch[]> {
  return db.transaction((tx) => findMismatches(tx), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}

/** The checks of reconcileLedger, inside a snapshot the caller holds. */
export async function findMismatches(db: Executor): Promise<LedgerMismatch[]> {
  const mismatches: LedgerMismatch[] = [];
  const accounts = await queryRows<{
    id: string;
    balance: string;
    last_entry_id: string | null;
    entries_sum: string;
    newest: string | null;
  }>(
    db,
    sql`
    SELECT a.id::text AS id, a.balance::text AS balance, a.last_entry_id::text AS last_entry_id,
           coalesce(s.total, 0)::text AS entries_sum, s.newest::text AS newest
    FROM ledger_accounts a
    LEFT JOIN (
      SELECT account_id, sum(amount) AS total, max(id) AS newest
      FROM ledger_entries GROUP BY account_id
    ) s ON s.account_id = a.id
    WHERE a.balance <> coalesce(s.total, 0) OR a.last_entry_id IS DISTINCT FROM s.newest
    ORDER BY a.id`,
  );
  for (const a of accounts) {
    if (a.balance !== a.entries_sum) {
      mismatches.push({
        kind: "balance",
        accountId: a.id,
        balance: Number(a.balance),
        entriesSum: Number(a.entries_sum),
      });
    }
    if (a.last_entry_id !== a.newest) {
      mismatches.push({
        kind: "last_entry",
        accountId: a.id,
        lastEntryId: num(a.last_entry_id),
        newestEntryId: num(a.newest),
      });
    }
  }
  const unbalanced = await queryRows<{ transaction_id: string; currency: string; total: string }>(
    db,
    sql`
    SELECT transaction_id::text AS transaction_id, currency, sum(amount)::text AS total
    FROM ledger_entries GROUP BY transaction_id, currency HAVING sum(amount) <> 0
    ORDER BY transaction_id, currency`,
  );
  for (const u of unbalanced) {
    mismatches.push({
      kind: "unbalanced_transaction",
      transactionId: Number(u.transaction_id),
      currency: u.currency,
      sum: Number(u.total),
    });
  }
  const thin = await queryRows<{ id: string; entries: number }>(
    db,
    sql`
    SELECT t.id::text AS id, count(e.id)::int AS entries
    FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
    GROUP BY t.id HAVING count(e.id) < 2 ORDER BY t.id`,
  );
  for (const t of thin) {
    mismatches.push({ kind: "thin_transaction", transactionId: Number(t.id), entries: t.entries });
  }
  const totals = await queryRows<{ currency: string; total: string }>(
    db,
    sql`
    SELECT currency, sum(balance)::text AS total FROM ledger_accounts
    GROUP BY currency HAVING sum(balance) <> 0 ORDER BY currency`,
  );
  for (const c of totals) {
    mismatches.push({ kind: "currency_total", currency: c.currency, sum: Number(c.total) });
  }
  return mismatches;
}
