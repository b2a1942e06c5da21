import { and, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { ledgerAccounts, paymentItems, payments } from "../../db/schema";
import { PLATFORM_CURRENCY } from "../catalog/currency";
import { isSnowflakeId } from "../ids/snowflake";
import { ledgerStatement, type StatementLine } from "../ledger/ledgerStatement";
import { describeWalletLine, type ReferencedPayment, type WalletLineWords } from "./walletWords";

/** The student's wallet in one currency, without creating it; null when it never moved. */
async function findWallet(db: Executor, userId: string, currency: string) {
  const [row] = await db
    .select()
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.kind, "student_wallet"),
        eq(ledgerAccounts.ownerUserId, userId),
        eq(ledgerAccounts.currency, currency),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * The wallet page's header: the balance in each currency the student has a wallet in (the
 * platform's currency always, at zero if it never moved), and top-ups still open at the
 * gateway (the page says "Top-up pending" and asks again while the callback may land).
 */
export async function walletSummary(db: Executor, userId: string) {
  const accounts = await db
    .select({ currency: ledgerAccounts.currency, balance: ledgerAccounts.balance })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, "student_wallet"), eq(ledgerAccounts.ownerUserId, userId)))
    .orderBy(ledgerAccounts.currency);
  const balances = accounts.some((a) => a.currency === PLATFORM_CURRENCY)
    ? accounts
    : [{ currency: PLATFORM_CURRENCY, balance: 0 }, ...accounts];
  const pending = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.payerId, userId),
        eq(payments.purpose, "top_up"),
        inArray(payments.status, ["created", "pending"]),
      ),
    )
    .orderBy(desc(payments.createdAt))
    .limit(5);
  return {
    defaultCurrency: PLATFORM_CURRENCY,
    balances,
    pendingTopUps: pending.map((p) => ({
      paymentId: p.id,
      amount: p.amount,
      currency: p.currency,
      createdAt: p.createdAt,
      expiresAt: p.expiresAt,
      redirectUrl: p.status === "pending" ? p.checkoutUrl : null,
    })),
  };
}

export type WalletStatementLine = Omit<StatementLine, "referenceKind" | "purpose" | "memo"> &
  WalletLineWords;

/** The payments (with their orders) the postings of a statement page refer to. */
async function referencedPayments(
  db: Executor,
  lines: readonly StatementLine[],
): Promise<Map<string, ReferencedPayment>> {
  const ids = [
    ...new Set(
      lines
        .filter((l) => l.referenceKind === "payment" || l.referenceKind === "refund")
        .map((l) => l.referenceId)
        .filter(isSnowflakeId),
    ),
  ];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: payments.id, purpose: payments.purpose })
    .from(payments)
    .where(inArray(payments.id, ids));
  const items = await db
    .select({ paymentId: paymentItems.paymentId, orderId: paymentItems.orderId })
    .from(paymentItems)
    .where(inArray(paymentItems.paymentId, ids))
    .orderBy(paymentItems.orderId);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        purpose: r.purpose,
        orderIds: items.filter((i) => i.paymentId === r.id).map((i) => i.orderId),
      },
    ]),
  );
}

/**
 * One page of the student's wallet statement in a currency, newest first, each line with its
 * running balance and in words (walletWords). Keyset pagination: pass `nextBefore` as `before`.
 */
export async function walletStatement(
  db: Executor,
  userId: string,
  currency: string,
  page: { before?: number | null; limit?: number } = {},
): Promise<{ lines: WalletStatementLine[]; nextBefore: number | null }> {
  const wallet = await findWallet(db, userId, currency);
  if (!wallet) return { lines: [], nextBefore: null };
  const statement = await ledgerStatement(db, wallet.id, page);
  const paid = await referencedPayments(db, statement.lines);
  return {
    nextBefore: statement.nextBefore,
    lines: statement.lines.map(({ referenceKind, purpose, memo, ...line }) => ({
      ...line,
      ...describeWalletLine({ referenceKind, purpose, memo }, paid.get(line.referenceId) ?? null),
    })),
  };
}

/** Every line of the student's wallet statement in a currency, newest first (the CSV). */
export async function wholeWalletStatement(
  db: Executor,
  userId: string,
  currency: string,
): Promise<WalletStatementLine[]> {
  const all: WalletStatementLine[] = [];
  let before: number | null = null;
  do {
    const page = await walletStatement(db, userId, currency, { before, limit: 200 });
    all.push(...page.lines);
    before = page.nextBefore;
  } while (before !== null);
  return all;
}
