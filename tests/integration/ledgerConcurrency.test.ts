import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectPostgres,
  type Database,
  type DatabaseHandle,
  getDb,
  queryRows,
  type Transaction,
} from "../../db/client";
import { ledgerTransactions } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import {
  findAccount,
  platformAccount,
  teacherPayableAccount,
  walletAccount,
} from "../../server/ledger/ledgerAccounts";
import type { LedgerLine, LedgerReference } from "../../server/ledger/ledgerPosting";
import { type PostingResult, postTransaction } from "../../server/ledger/postTransaction";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { tradeTransaction } from "../../server/trade/tradeTransaction";
import { createTeacher, createUser } from "../fixtures";

/**
 * Races on real Postgres through postTransaction. The racers get their own pool of 40
 * connections (max_connections is 100; the worker's pool and other runs need some), and
 * every transaction waits at a barrier once BEGIN reached the server, so up to 40 postings
 * are inside a transaction at once.
 */
const RACE_POOL = 40;
let race: DatabaseHandle;
beforeAll(() => {
  race = connectPostgres(process.env.DATABASE_URL!, RACE_POOL);
});
afterAll(() => race.close());

function barrier(n: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived >= n) release();
    return all;
  };
}

function gatedDb(racers: number): Database {
  const ready = barrier(Math.min(racers, RACE_POOL));
  const db = race.db;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return (work: (tx: Transaction) => Promise<unknown>) =>
        target.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await ready();
          return work(tx);
        });
    },
  });
}

type Outcome = { ok: true; value: PostingResult } | { ok: false; error: unknown };

async function settle(promise: Promise<PostingResult>): Promise<Outcome> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** One posting in its own transaction, retried on a deadlock or serialization failure. */
const post = (
  db: Database,
  reference: LedgerReference,
  lines: { accountId: string; amount: number }[],
) =>
  tradeTransaction(db, (tx) =>
    postTransaction(tx, {
      reference,
      lines: lines.map((l): LedgerLine => ({ ...l, currency: "EUR" })),
    }),
  );

let nextRef = 0;
const ref = (kind: LedgerReference["kind"]): LedgerReference => ({
  kind,
  id: `race-${Date.now()}-${++nextRef}`,
  purpose: "capture",
});

async function balanceOf(accountId: string) {
  return (await findAccount(getDb(), accountId))!.balance;
}

describe("concurrent postings on the same accounts", () => {
  it("50 top-ups, purchases and settlements at once: every one applied or cleanly refused, balances = sums (3 rounds)", {
    timeout: 120_000,
  }, async () => {
    const db = getDb();
    const [alice, bob] = [await createUser(), await createUser()];
    const { teacher } = await createTeacher();
    const wallets = [
      await walletAccount(db, alice.id, "EUR"),
      await walletAccount(db, bob.id, "EUR"),
    ];
    const clearing = await platformAccount(db, "gateway_clearing", "EUR");
    const prepaid = await platformAccount(db, "prepaid_lessons", "EUR");
    const revenue = await platformAccount(db, "platform_revenue", "EUR");
    const payable = await teacherPayableAccount(db, teacher.id, "EUR");
    const expected = new Map<string, number>();
    const add = (id: string, amount: number) => expected.set(id, (expected.get(id) ?? 0) + amount);

    for (let round = 0; round < 3; round++) {
      const gated = gatedDb(50);
      const jobs = Array.from({ length: 50 }, (_, i) => {
        const wallet = wallets[i % 2]!.id;
        switch (i % 5) {
          case 0:
          case 1:
            return [
              ref("top_up"),
              [
                { accountId: clearing.id, amount: -1000 },
                { accountId: wallet, amount: 1000 },
              ],
            ] as const;
          case 2:
          case 3:
            // Lines deliberately in either order: locks are still taken in account id order.
            return [
              ref("payment"),
              i % 4 === 2
                ? [
                    { accountId: wallet, amount: -1500 },
                    { accountId: prepaid.id, amount: 1500 },
                  ]
                : [
                    { accountId: prepaid.id, amount: 1500 },
                    { accountId: wallet, amount: -1500 },
                  ],
            ] as const;
          default:
            return [
              ref("settlement"),
              [
                { accountId: payable.id, amount: 800 },
                { accountId: prepaid.id, amount: -1000 },
                { accountId: revenue.id, amount: 200 },
              ],
            ] as const;
        }
      });
      const outcomes = await Promise.all(
        jobs.map(([reference, lines]) => settle(post(gated, reference, [...lines]))),
      );
      const refused = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
      for (const error of refused) {
        // The only acceptable failure: a purchase that found the wallet short.
        if (!(error instanceof DomainError && error.field === "wallet")) throw error;
      }
      outcomes.forEach((outcome, i) => {
        if (!outcome.ok) return;
        expect(outcome.value.created).toBe(true);
        for (const line of jobs[i]![1]) add(line.accountId, line.amount);
      });
      expect(outcomes.filter((o) => o.ok).length + refused.length).toBe(50);
      // Top-ups and settlements never fail; only purchases can find a wallet short.
      expect(refused.length).toBeLessThanOrEqual(20);
      // First round: each wallet gets 10,000 and is asked for 15,000, so some must be refused.
      if (round === 0) expect(refused.length).toBeGreaterThanOrEqual(8);

      for (const account of [...wallets, clearing, prepaid, revenue, payable]) {
        expect(await balanceOf(account.id)).toBe(account.balance + (expected.get(account.id) ?? 0));
      }
      for (const wallet of wallets) expect(await balanceOf(wallet.id)).toBeGreaterThanOrEqual(0);
      expect(await reconcileLedger(db)).toEqual([]);
    }
  });

  it("30 posts of the same reference at once: exactly one posting, the others get it back", {
    timeout: 60_000,
  }, async () => {
    const db = getDb();
    const student = await createUser();
    const wallet = await walletAccount(db, student.id, "EUR");
    const clearing = await platformAccount(db, "gateway_clearing", "EUR");
    const before = await balanceOf(clearing.id);
    const reference = ref("top_up");
    const gated = gatedDb(30);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        settle(
          post(gated, reference, [
            { accountId: clearing.id, amount: -2500 },
            { accountId: wallet.id, amount: 2500 },
          ]),
        ),
      ),
    );
    const results = outcomes.map((o) => {
      if (!o.ok) throw o.error;
      return o.value;
    });
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    const rows = await db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.referenceId, reference.id));
    expect(rows).toHaveLength(1);
    const [entries] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM ledger_entries WHERE transaction_id = ${rows[0]!.id}`,
    );
    expect(entries!.n).toBe(2);
    expect(await balanceOf(wallet.id)).toBe(2500);
    expect(await balanceOf(clearing.id)).toBe(before - 2500);
    expect(await reconcileLedger(db)).toEqual([]);
  });
});
