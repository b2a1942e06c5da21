import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Executor, getDb, queryRows } from "../../db/client";
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import {
  ensureAccount,
  findAccount,
  platformAccount,
  teacherPayableAccount,
  walletAccount,
} from "../../server/ledger/ledgerAccounts";
import type { LedgerReference } from "../../server/ledger/ledgerPosting";
import { ledgerStatement } from "../../server/ledger/ledgerStatement";
import {
  applyToAccount,
  LedgerConflict,
  postTransaction,
} from "../../server/ledger/postTransaction";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { createTeacher, createUser } from "../fixtures";

/** The Postgres error under drizzle's wrapper. */
function pgError(error: unknown): { code?: string; message: string } {
  let e = error as { code?: string; message: string; cause?: unknown };
  while (e.cause && !e.code) e = e.cause as typeof e;
  return e;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

let nextRef = 0;
const ref = (kind: LedgerReference["kind"] = "top_up", purpose = "capture"): LedgerReference => ({
  kind,
  id: `ref-${Date.now()}-${++nextRef}`,
  purpose,
});

async function counts(db: Executor = getDb()) {
  const [row] = await queryRows<{ transactions: number; entries: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM ledger_transactions)::int AS transactions,
               (SELECT count(*) FROM ledger_entries)::int AS entries`,
  );
  return row!;
}

/** A student wallet, gateway clearing and prepaid lessons in EUR; the wallet topped up by `funds`. */
async function setup(funds = 0) {
  const db = getDb();
  const student = await createUser("student", "Wallet Owner");
  const wallet = await walletAccount(db, student.id, "EUR");
  const clearing = await platformAccount(db, "gateway_clearing", "EUR");
  const prepaid = await platformAccount(db, "prepaid_lessons", "EUR");
  if (funds > 0) await topUp(wallet.id, clearing.id, funds);
  return { student, wallet, clearing, prepaid };
}

function topUp(walletId: string, clearingId: string, amount: number, reference = ref()) {
  return getDb().transaction((tx) =>
    postTransaction(tx, {
      reference,
      memo: "Wallet top-up",
      lines: [
        { accountId: clearingId, currency: "EUR", amount: -amount },
        { accountId: walletId, currency: "EUR", amount },
      ],
    }),
  );
}

function purchase(walletId: string, prepaidId: string, amount: number, reference = ref("payment")) {
  return getDb().transaction((tx) =>
    postTransaction(tx, {
      reference,
      lines: [
        { accountId: walletId, currency: "EUR", amount: -amount },
        { accountId: prepaidId, currency: "EUR", amount },
      ],
    }),
  );
}

async function balance(accountId: string) {
  return (await findAccount(getDb(), accountId))!;
}

describe("ledger accounts", () => {
  it("are created once per (kind, owner, currency) and owners must fit the kind", async () => {
    const db = getDb();
    const student = await createUser();
    const { teacher } = await createTeacher();
    const wallet = await walletAccount(db, student.id, "EUR");
    expect(await walletAccount(db, student.id, "EUR")).toEqual(wallet);
    expect((await walletAccount(db, student.id, "USD")).id).not.toBe(wallet.id);
    const payable = await teacherPayableAccount(db, teacher.id, "EUR");
    expect(payable).toMatchObject({
      kind: "teacher_payable",
      ownerTeacherId: teacher.id,
      balance: 0,
    });
    const revenue = await platformAccount(db, "platform_revenue", "EUR");
    expect((await platformAccount(db, "platform_revenue", "EUR")).id).toBe(revenue.id);
    expect(revenue).toMatchObject({ ownerUserId: null, ownerTeacherId: null, lastEntryId: null });
    const error = await rejection(ensureAccount(db, { kind: "student_wallet", currency: "EUR" }));
    expect(pgError(error).code).toBe("23514");
  });
});

describe("postTransaction", () => {
  it("writes the entries and moves the balances, last entry ids and versions", async () => {
    const { wallet, clearing, prepaid } = await setup();
    const before = await counts();
    const result = await topUp(wallet.id, clearing.id, 5000);
    expect(result.created).toBe(true);
    expect(result.transaction).toMatchObject({ referenceKind: "top_up", memo: "Wallet top-up" });
    expect(result.entries.map((e) => [e.accountId, e.amount])).toEqual([
      [clearing.id, -5000],
      [wallet.id, 5000],
    ]);
    expect(result.entries[1]!.id).toBeGreaterThan(result.entries[0]!.id);
    expect(await counts()).toEqual({
      transactions: before.transactions + 1,
      entries: before.entries + 2,
    });
    expect(await balance(wallet.id)).toMatchObject({
      balance: 5000,
      lastEntryId: result.entries[1]!.id,
      version: 1,
    });
    expect(await balance(clearing.id)).toMatchObject({
      balance: clearing.balance - 5000,
      lastEntryId: result.entries[0]!.id,
    });

    const bought = await purchase(wallet.id, prepaid.id, 3000);
    expect(await balance(wallet.id)).toMatchObject({
      balance: 2000,
      lastEntryId: bought.entries.find((e) => e.accountId === wallet.id)!.id,
      version: 2,
    });
    expect((await balance(prepaid.id)).balance).toBe(prepaid.balance + 3000);
    expect(await reconcileLedger(getDb())).toEqual([]);
  });

  it("nets two lines on one account and records the newest entry as its last", async () => {
    const { wallet, clearing } = await setup(1000);
    const result = await getDb().transaction((tx) =>
      postTransaction(tx, {
        reference: ref("adjustment"),
        lines: [
          { accountId: wallet.id, currency: "EUR", amount: 300 },
          { accountId: clearing.id, currency: "EUR", amount: -500 },
          { accountId: wallet.id, currency: "EUR", amount: 200 },
        ],
      }),
    );
    expect(await balance(wallet.id)).toMatchObject({
      balance: 1500,
      lastEntryId: result.entries[2]!.id,
    });
    expect(await reconcileLedger(getDb())).toEqual([]);
  });

  it("is idempotent: reposting a reference returns the first posting and writes nothing", async () => {
    const { wallet, clearing } = await setup();
    const reference = ref();
    const first = await topUp(wallet.id, clearing.id, 700, reference);
    const before = await counts();
    const again = await topUp(wallet.id, clearing.id, 700, reference);
    expect(again.created).toBe(false);
    expect(again.transaction).toEqual(first.transaction);
    expect(again.entries).toEqual(first.entries);
    expect(await counts()).toEqual(before);
    expect((await balance(wallet.id)).balance).toBe(700);

    // Same event, different money: a bug in the caller, refused.
    const error = await rejection(topUp(wallet.id, clearing.id, 701, reference));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: "conflict", field: "ledger" });
    // Another purpose of the same record is another posting.
    const refund = await topUp(wallet.id, clearing.id, 100, { ...reference, purpose: "bonus" });
    expect(refund.created).toBe(true);
    expect((await balance(wallet.id)).balance).toBe(800);
  });

  it("refuses a wallet overdraft with a clear error and writes nothing", async () => {
    const { wallet, prepaid } = await setup(1000);
    const before = await counts();
    const error = await rejection(purchase(wallet.id, prepaid.id, 1001));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: "conflict",
      message: "Not enough balance in your wallet",
      field: "wallet",
    });
    expect(await counts()).toEqual(before);
    expect(await balance(wallet.id)).toMatchObject({ balance: 1000, version: 1 });
    await purchase(wallet.id, prepaid.id, 1000);
    expect((await balance(wallet.id)).balance).toBe(0);

    // Behind the code, the table refuses a negative wallet.
    const direct = await rejection(
      getDb().execute(sql`UPDATE ledger_accounts SET balance = -1 WHERE id = ${wallet.id}`),
    );
    expect(pgError(direct)).toMatchObject({ code: "23514" });
  });

  it("rejects a malformed posting in code, before touching the database", async () => {
    const { wallet, clearing } = await setup();
    const before = await counts();
    const post = (lines: { accountId: string; currency: string; amount: number }[]) =>
      rejection(getDb().transaction((tx) => postTransaction(tx, { reference: ref(), lines })));
    expect(
      await post([
        { accountId: clearing.id, currency: "EUR", amount: -100 },
        { accountId: wallet.id, currency: "EUR", amount: 99 },
      ]),
    ).toBeInstanceOf(RangeError);
    expect(await post([{ accountId: wallet.id, currency: "EUR", amount: 0 }])).toBeInstanceOf(
      RangeError,
    );
    // An account used in the wrong currency, or one that does not exist.
    expect(
      await post([
        { accountId: clearing.id, currency: "USD", amount: -100 },
        { accountId: wallet.id, currency: "USD", amount: 100 },
      ]),
    ).toBeInstanceOf(RangeError);
    expect(
      await post([
        { accountId: clearing.id, currency: "EUR", amount: -100 },
        { accountId: "42", currency: "EUR", amount: 100 },
      ]),
    ).toMatchObject({ kind: "not_found" });
    expect(await counts()).toEqual(before);
  });
});

describe("the database behind the code", () => {
  it("rejects an unbalanced posting written with raw SQL, at commit", async () => {
    const { wallet, clearing } = await setup();
    const before = await counts();
    const error = await rejection(
      getDb().transaction(async (tx) => {
        const [t] = await queryRows<{ id: string }>(
          tx,
          sql`INSERT INTO ledger_transactions (reference_kind, reference_id, purpose)
              VALUES ('adjustment', 'raw', 'unbalanced') RETURNING id::text AS id`,
        );
        await tx.execute(sql`
          INSERT INTO ledger_entries (transaction_id, account_id, amount, currency) VALUES
            (${t!.id}, ${clearing.id}, -100, 'EUR'), (${t!.id}, ${wallet.id}, 90, 'EUR')`);
        // Not yet: the check is deferred to the end of the transaction.
        const [mid] = await queryRows<{ n: number }>(
          tx,
          sql`SELECT count(*)::int AS n FROM ledger_entries WHERE transaction_id = ${t!.id}`,
        );
        expect(mid!.n).toBe(2);
      }),
    );
    expect(pgError(error)).toMatchObject({ code: "23514" });
    expect(pgError(error).message).toMatch(/does not balance: its EUR entries sum to -10/);
    expect(await counts()).toEqual(before);
  });

  it("rejects a posting with fewer than two entries, at commit", async () => {
    const { wallet } = await setup();
    for (const entries of [0, 1]) {
      const error = await rejection(
        getDb().transaction(async (tx) => {
          const [t] = await queryRows<{ id: string }>(
            tx,
            sql`INSERT INTO ledger_transactions (reference_kind, reference_id, purpose)
                VALUES ('adjustment', 'raw', ${`thin ${entries}`}) RETURNING id::text AS id`,
          );
          if (entries === 1) {
            // Balanced in its one currency only because it moves nothing: not allowed either.
            await tx.execute(sql`
              INSERT INTO ledger_entries (transaction_id, account_id, amount, currency)
              VALUES (${t!.id}, ${wallet.id}, 5, 'EUR')`);
          }
        }),
      );
      expect(pgError(error).message).toMatch(/needs at least two entries|does not balance/);
    }
  });

  it("is append-only: UPDATE, DELETE and TRUNCATE of entries and transactions are refused", async () => {
    const { wallet, clearing } = await setup();
    const { transaction, entries } = await topUp(wallet.id, clearing.id, 400);
    const db = getDb();
    const attempts = [
      db.update(ledgerEntries).set({ amount: 1 }).where(eq(ledgerEntries.id, entries[0]!.id)),
      db.delete(ledgerEntries).where(eq(ledgerEntries.id, entries[0]!.id)),
      db
        .update(ledgerTransactions)
        .set({ memo: "x" })
        .where(eq(ledgerTransactions.id, transaction.id)),
      db.delete(ledgerTransactions).where(eq(ledgerTransactions.id, transaction.id)),
      db.execute(sql`TRUNCATE ledger_entries`),
      db.execute(sql`TRUNCATE ledger_transactions CASCADE`),
    ];
    for (const attempt of attempts) {
      const error = pgError(await rejection(attempt));
      expect(error.code).toBe("23001");
      expect(error.message).toMatch(/the ledger is append-only/);
    }
    const [row] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, entries[0]!.id));
    expect(row).toEqual(entries[0]);
  });

  it("moves a balance only from the last entry id it saw (compare-and-set)", async () => {
    const { wallet, clearing } = await setup();
    const first = await topUp(wallet.id, clearing.id, 300);
    const seen = first.entries.find((e) => e.accountId === wallet.id)!.id;
    await topUp(wallet.id, clearing.id, 200); // moves the wallet past `seen`
    const current = await balance(wallet.id);
    const stale = await rejection(
      getDb().transaction((tx) =>
        applyToAccount(tx, {
          accountId: wallet.id,
          delta: 50,
          entryId: current.lastEntryId! + 1_000,
          seenLastEntryId: seen,
        }),
      ),
    );
    expect(stale).toBeInstanceOf(LedgerConflict);
    expect(stale).toMatchObject({ kind: "conflict", accountId: wallet.id });
    // Nor may a balance go back to an older entry, even naming the right last one.
    const older = await rejection(
      getDb().transaction((tx) =>
        applyToAccount(tx, {
          accountId: wallet.id,
          delta: 50,
          entryId: seen,
          seenLastEntryId: current.lastEntryId,
        }),
      ),
    );
    expect(older).toBeInstanceOf(LedgerConflict);
    expect(await balance(wallet.id)).toEqual(current);
  });
});

describe("statement", () => {
  it("lists an account's entries newest first with running balances, page by page", async () => {
    const { wallet, clearing, prepaid } = await setup();
    const amounts = [1000, -200, 500, -300, -100, 700, -50];
    for (const amount of amounts) {
      if (amount > 0) await topUp(wallet.id, clearing.id, amount);
      else await purchase(wallet.id, prepaid.id, -amount);
    }
    const lines = [];
    let before: number | null = null;
    do {
      const page = await ledgerStatement(getDb(), wallet.id, { before, limit: 3 });
      expect(page.lines.length).toBeLessThanOrEqual(3);
      lines.push(...page.lines);
      before = page.nextBefore;
    } while (before !== null);
    expect(lines.map((l) => l.amount)).toEqual([...amounts].reverse());
    let running = 0;
    const expected = amounts.map((a) => (running += a)).reverse();
    expect(lines.map((l) => l.balanceAfter)).toEqual(expected);
    // The newest line is the last purchase.
    expect(lines[0]).toMatchObject({
      referenceKind: "payment",
      currency: "EUR",
      balanceAfter: 1550,
    });
    expect(lines.map((l) => l.entryId)).toEqual(
      [...lines.map((l) => l.entryId)].sort((a, b) => b - a),
    );
    expect(await ledgerStatement(getDb(), (await setup()).wallet.id)).toEqual({
      lines: [],
      nextBefore: null,
    });
  });
});

describe("reconciliation", () => {
  it("finds nothing after many postings, and finds a planted mismatch", async () => {
    const db = getDb();
    const wallets = await Promise.all([setup(), setup(), setup()]);
    const { teacher } = await createTeacher();
    const payable = await teacherPayableAccount(db, teacher.id, "EUR");
    const revenue = await platformAccount(db, "platform_revenue", "EUR");
    const { clearing, prepaid } = wallets[0]!;
    for (let i = 0; i < 60; i++) {
      const w = wallets[i % 3]!.wallet;
      await topUp(w.id, clearing.id, 1000 + i);
      await purchase(w.id, prepaid.id, 800);
      if (i % 2 === 0) {
        await db.transaction((tx) =>
          postTransaction(tx, {
            reference: ref("settlement", `lesson ${i}`),
            lines: [
              { accountId: prepaid.id, currency: "EUR", amount: -800 },
              { accountId: payable.id, currency: "EUR", amount: 640 },
              { accountId: revenue.id, currency: "EUR", amount: 160 },
            ],
          }),
        );
      }
    }
    expect(await reconcileLedger(db)).toEqual([]);
    expect((await balance(payable.id)).balance).toBe(30 * 640);

    const target = wallets[1]!.wallet.id;
    const original = await balance(target);
    await db.execute(
      sql`UPDATE ledger_accounts SET balance = balance + 1, last_entry_id = NULL WHERE id = ${target}`,
    );
    try {
      expect(await reconcileLedger(db)).toEqual([
        {
          kind: "balance",
          accountId: target,
          balance: original.balance + 1,
          entriesSum: original.balance,
        },
        {
          kind: "last_entry",
          accountId: target,
          lastEntryId: null,
          newestEntryId: original.lastEntryId,
        },
        { kind: "currency_total", currency: "EUR", sum: 1 },
      ]);
    } finally {
      await db
        .update(ledgerAccounts)
        .set({ balance: original.balance, lastEntryId: original.lastEntryId })
        .where(eq(ledgerAccounts.id, target));
    }
    expect(await reconcileLedger(db)).toEqual([]);
  });
});
