import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { LEDGER_ACCOUNT_KINDS, LEDGER_REFERENCE_KINDS } from "../../server/ledger/ledgerPosting";
import { createdAt, snowflake, snowflakeKey } from "./columns";
import { teachers, users } from "./identity";

/**
 * Double-entry money (seed 001, 003). Sign convention, the same for every account: an entry's
 * amount is what flows INTO the account (positive) or out of it (negative), in integer minor
 * units; a balance is the sum of its entries; the entries of one posting sum to zero per
 * currency, so all balances of one currency sum to zero too. Money the platform owes (wallets,
 * teacher payables, refunds payable, prepaid lessons) and money it earned (platform revenue)
 * read positive; gateway clearing stands for the outside world and reads negative: minus
 * what came in through gateways and has not gone out again. See server/ledger/ledgerPosting.ts.
 */
export const ledgerAccountKind = pgEnum("ledger_account_kind", LEDGER_ACCOUNT_KINDS);

/** What business event a posting records; with reference_id and purpose, its idempotency key. */
export const ledgerReferenceKind = pgEnum("ledger_reference_kind", LEDGER_REFERENCE_KINDS);

/**
 * One account per (kind, owner, currency): a student's wallet is owned by the user, a
 * teacher's payable by the teacher, the platform-wide accounts by nobody. `balance` and
 * `last_entry_id` change only together, in server/ledger/postTransaction.ts, as
 * `UPDATE … WHERE last_entry_id IS NOT DISTINCT FROM <the last entry it saw>` (seed 001);
 * reconciliation proves balance = sum of entries and last_entry_id = the newest entry.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: snowflakeKey(),
    kind: ledgerAccountKind().notNull(),
    ownerUserId: uuid().references(() => users.id),
    ownerTeacherId: snowflake().references(() => teachers.id),
    currency: char({ length: 3 }).notNull(),
    balance: bigint({ mode: "number" }).notNull().default(0),
    /** The newest entry included in `balance`; null until the first one. */
    lastEntryId: bigint({ mode: "number" }),
    version: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    unique("ledger_accounts_kind_owner_currency_unique")
      .on(t.kind, t.ownerUserId, t.ownerTeacherId, t.currency)
      .nullsNotDistinct(),
    // Target of the entries' composite foreign key: an entry is in its account's currency.
    unique("ledger_accounts_id_currency_unique").on(t.id, t.currency),
    index().on(t.ownerUserId),
    index().on(t.ownerTeacherId),
    check(
      "ledger_accounts_owner",
      sql`CASE ${t.kind}
        WHEN 'student_wallet' THEN ${t.ownerUserId} IS NOT NULL AND ${t.ownerTeacherId} IS NULL
        WHEN 'teacher_payable' THEN ${t.ownerTeacherId} IS NOT NULL AND ${t.ownerUserId} IS NULL
        ELSE ${t.ownerUserId} IS NULL AND ${t.ownerTeacherId} IS NULL END`,
    ),
    check("ledger_accounts_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      "ledger_accounts_wallet_not_negative",
      sql`${t.kind} <> 'student_wallet' OR ${t.balance} >= 0`,
    ),
  ],
);

/**
 * One posting: a set of entries summing to zero per currency, recorded once per business
 * event. Ids come from an identity sequence (not snowflakes): they only need to increase, and
 * entries of one account are inserted under that account's row lock, so per account they
 * increase in commit order. Insert-only: triggers (migration 0005) reject UPDATE, DELETE and
 * TRUNCATE, and a deferred constraint trigger rejects a posting with fewer than two entries.
 */
export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    referenceKind: ledgerReferenceKind().notNull(),
    /** The business record's id (payment order, refund, payout, …) as text. */
    referenceId: text().notNull(),
    /** Which posting of that record, e.g. "capture", "settle lesson 123". */
    purpose: text().notNull(),
    memo: text(),
    createdAt: createdAt(),
  },
  (t) => [
    // Posting the same business event twice finds the first posting (the idempotency key).
    unique("ledger_transactions_reference_unique").on(t.referenceKind, t.referenceId, t.purpose),
  ],
);

/**
 * One signed movement on one account (see the sign convention above). Insert-only (triggers,
 * migration 0005); a deferred constraint trigger checks at commit that the entries of each
 * posting sum to zero per currency, whatever the code did.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: bigint({ mode: "number" })
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: snowflake().notNull(),
    amount: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "ledger_entries_account_currency_fk",
      columns: [t.accountId, t.currency],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.currency],
    }),
    // An account's statement and its reconciliation, newest first.
    index().on(t.accountId, t.id),
    index().on(t.transactionId),
    check("ledger_entries_amount_not_zero", sql`${t.amount} <> 0`),
  ],
);
