import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from "../../db/schema";
import { DomainError } from "../domainError";
import type { LedgerAccountRow } from "./ledgerAccounts";
import {
  accountDeltas,
  buildPosting,
  compareIds,
  type LedgerLine,
  type LedgerReference,
  sameLines,
} from "./ledgerPosting";

export type LedgerTransactionRow = typeof ledgerTransactions.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;

export interface PostingResult {
  transaction: LedgerTransactionRow;
  /** In id order. */
  entries: LedgerEntryRow[];
  /** False when the reference had been posted before: nothing was written this time. */
  created: boolean;
}

/** An account's balance moved since it was read: nothing of this posting may be kept. */
export class LedgerConflict extends DomainError {
  constructor(readonly accountId: string) {
    super(
      "conflict",
      "The ledger changed in the meantime; nothing was saved. Try again.",
      "ledger",
    );
    this.name = "LedgerConflict";
  }
}

/**
 * Records one business event as a balanced set of entries, inside the caller's transaction
 * (the service that owns the event: a payment, a refund, a settlement…), and moves the
 * balances of the accounts it touches. Idempotent on (reference kind, id, purpose): posting
 * the same event again returns the first posting with `created: false` and writes nothing;
 * reposting it with different lines is a conflict (a bug in the caller).
 *
 * Order of work: lock the accounts in id order (`FOR UPDATE`), so two postings on the same
 * accounts never deadlock and each account's entries get increasing ids in commit order;
 * look for the reference again (a racer with the same reference may have committed while this
 * one waited); refuse a wallet overdraft before anything is written; insert the posting (its
 * unique reference decides any remaining race) and its entries; then move each balance with
 * the last entry id it saw in the `WHERE` (applyToAccount). Throws RangeError on a malformed
 * posting, DomainError("conflict", …, "wallet") on an overdraft, LedgerConflict when an
 * account moved underneath; the caller's transaction must then roll back.
 */
export async function postTransaction(
  tx: Transaction,
  input: { reference: LedgerReference; memo?: string | null; lines: readonly LedgerLine[] },
): Promise<PostingResult> {
  const posting = buildPosting(input);
  const earlier = await findPosting(tx, posting.reference);
  if (earlier) return repeated(earlier, posting.lines);

  const deltas = accountDeltas(posting.lines);
  const accounts = await lockAccounts(
    tx,
    deltas.map((d) => d.accountId),
  );
  for (const delta of deltas) {
    const account = accounts.get(delta.accountId);
    if (!account) throw new DomainError("not_found", "Unknown ledger account", "ledger");
    if (account.currency !== delta.currency) {
      throw new RangeError(
        `ledger account ${account.id} is in ${account.currency}, not ${delta.currency}`,
      );
    }
  }

  const raced = await findPosting(tx, posting.reference);
  if (raced) return repeated(raced, posting.lines);

  for (const delta of deltas) {
    const account = accounts.get(delta.accountId)!;
    if (account.kind === "student_wallet" && account.balance + delta.delta < 0) {
      throw new DomainError("conflict", "Not enough balance in your wallet", "wallet");
    }
  }

  const [transaction] = await tx
    .insert(ledgerTransactions)
    .values({
      referenceKind: posting.reference.kind,
      referenceId: posting.reference.id,
      purpose: posting.reference.purpose,
      memo: posting.memo,
    })
    .onConflictDoNothing({
      target: [
        ledgerTransactions.referenceKind,
        ledgerTransactions.referenceId,
        ledgerTransactions.purpose,
      ],
    })
    .returning();
  if (!transaction) {
    const winner = await findPosting(tx, posting.reference);
    if (!winner) throw new LedgerConflict(deltas[0]!.accountId);
    return repeated(winner, posting.lines);
  }

  const entries = await tx
    .insert(ledgerEntries)
    .values(
      posting.lines.map((line) => ({
        transactionId: transaction.id,
        accountId: line.accountId,
        amount: line.amount,
        currency: line.currency,
      })),
    )
    .returning();
  entries.sort((a, b) => a.id - b.id);

  for (const delta of deltas) {
    const newest = Math.max(
      ...entries.filter((e) => e.accountId === delta.accountId).map((e) => e.id),
    );
    await applyToAccount(tx, {
      accountId: delta.accountId,
      delta: delta.delta,
      entryId: newest,
      seenLastEntryId: accounts.get(delta.accountId)!.lastEntryId,
    });
  }
  return { transaction, entries, created: true };
}

/**
 * The only write to an account's balance (seed 001): adds `delta` and records `entryId` as
 * the newest entry applied, if and only if the account's last entry is still the one the
 * caller saw and the new entry is newer. Otherwise nothing changes and LedgerConflict is
 * thrown. The wallet check constraint is the last line against a negative wallet.
 */
export async function applyToAccount(
  tx: Transaction,
  change: { accountId: string; delta: number; entryId: number; seenLastEntryId: number | null },
): Promise<LedgerAccountRow> {
  const [row] = await tx
    .update(ledgerAccounts)
    .set({
      balance: sql`${ledgerAccounts.balance} + ${change.delta}`,
      lastEntryId: change.entryId,
      version: sql`${ledgerAccounts.version} + 1`,
    })
    .where(
      and(
        eq(ledgerAccounts.id, change.accountId),
        sql`${ledgerAccounts.lastEntryId} IS NOT DISTINCT FROM ${change.seenLastEntryId}::bigint`,
        sql`(${ledgerAccounts.lastEntryId} IS NULL OR ${ledgerAccounts.lastEntryId} < ${change.entryId})`,
      ),
    )
    .returning();
  if (!row) throw new LedgerConflict(change.accountId);
  return row;
}

/**
 * Locks the accounts for the rest of the transaction, always in ascending id order (a caller
 * that must read a balance before posting locks the posting's accounts through this first).
 */
export async function lockAccounts(
  tx: Transaction,
  ids: string[],
): Promise<Map<string, LedgerAccountRow>> {
  const rows = await tx
    .select()
    .from(ledgerAccounts)
    .where(inArray(ledgerAccounts.id, ids))
    .orderBy(asc(ledgerAccounts.id))
    .for("update");
  rows.sort((a, b) => compareIds(a.id, b.id));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The posting recorded for a reference, with its entries; null if there is none. */
export async function findPosting(
  db: Executor,
  reference: LedgerReference,
): Promise<{ transaction: LedgerTransactionRow; entries: LedgerEntryRow[] } | null> {
  const [transaction] = await db
    .select()
    .from(ledgerTransactions)
    .where(
      and(
        eq(ledgerTransactions.referenceKind, reference.kind),
        eq(ledgerTransactions.referenceId, reference.id),
        eq(ledgerTransactions.purpose, reference.purpose),
      ),
    )
    .limit(1);
  if (!transaction) return null;
  const entries = await db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.transactionId, transaction.id))
    .orderBy(asc(ledgerEntries.id));
  return { transaction, entries };
}

function repeated(
  earlier: { transaction: LedgerTransactionRow; entries: LedgerEntryRow[] },
  lines: readonly LedgerLine[],
): PostingResult {
  if (!sameLines(earlier.entries, lines)) {
    throw new DomainError(
      "conflict",
      "This money movement was already recorded with different amounts",
      "ledger",
    );
  }
  return { ...earlier, created: false };
}
