import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { ledgerAccounts } from "../../db/schema";
import type { LedgerAccountKind, PlatformAccountKind } from "./ledgerPosting";

export type LedgerAccountRow = typeof ledgerAccounts.$inferSelect;

export interface AccountKey {
  kind: LedgerAccountKind;
  /** The student, for `student_wallet`. */
  ownerUserId?: string | null;
  /** The teacher, for `teacher_payable`. */
  ownerTeacherId?: string | null;
  currency: string;
}

/**
 * The account for (kind, owner, currency), created on first use. Looked up first (the
 * common case: it exists), so a hot path pays one indexed read and no speculative insert.
 * Safe under races: the insert does nothing when another transaction created it first (it
 * waits for that one to commit), and the select then finds it. The table's checks reject an
 * owner that does not fit the kind.
 */
export async function ensureAccount(db: Executor, key: AccountKey): Promise<LedgerAccountRow> {
  const ownerUserId = key.ownerUserId ?? null;
  const ownerTeacherId = key.ownerTeacherId ?? null;
  const found = await findAccountByKey(db, key.kind, ownerUserId, ownerTeacherId, key.currency);
  if (found) return found;
  const [created] = await db
    .insert(ledgerAccounts)
    .values({ kind: key.kind, ownerUserId, ownerTeacherId, currency: key.currency })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const existing = await findAccountByKey(db, key.kind, ownerUserId, ownerTeacherId, key.currency);
  if (!existing) throw new Error(`ledger account ${key.kind} was neither created nor found`);
  return existing;
}

async function findAccountByKey(
  db: Executor,
  kind: LedgerAccountKind,
  ownerUserId: string | null,
  ownerTeacherId: string | null,
  currency: string,
): Promise<LedgerAccountRow | null> {
  const [row] = await db
    .select()
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.kind, kind),
        ownerUserId === null
          ? isNull(ledgerAccounts.ownerUserId)
          : eq(ledgerAccounts.ownerUserId, ownerUserId),
        ownerTeacherId === null
          ? isNull(ledgerAccounts.ownerTeacherId)
          : eq(ledgerAccounts.ownerTeacherId, ownerTeacherId),
        eq(ledgerAccounts.currency, currency),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** A student's wallet in one currency. */
export const walletAccount = (db: Executor, userId: string, currency: string) =>
  ensureAccount(db, { kind: "student_wallet", ownerUserId: userId, currency });

/** What the platform owes one teacher, in one currency. */
export const teacherPayableAccount = (db: Executor, teacherId: string, currency: string) =>
  ensureAccount(db, { kind: "teacher_payable", ownerTeacherId: teacherId, currency });

/** One of the platform-wide accounts (revenue, gateway clearing, prepaid lessons, refunds). */
export const platformAccount = (db: Executor, kind: PlatformAccountKind, currency: string) =>
  ensureAccount(db, { kind, currency });

export async function findAccount(db: Executor, id: string): Promise<LedgerAccountRow | null> {
  const [row] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, id)).limit(1);
  return row ?? null;
}
