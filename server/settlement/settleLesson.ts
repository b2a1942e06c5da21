import { eq } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { lessonSettlements, teachers } from "../../db/schema";
import { platformAccount, teacherPayableAccount } from "../ledger/ledgerAccounts";
import type { LedgerLine } from "../ledger/ledgerPosting";
import { postTransaction } from "../ledger/postTransaction";
import { commissionSplit, lessonValue } from "./lessonValue";
import { commissionBpsFor } from "./settlementSettings";

export type LessonSettlementRow = typeof lessonSettlements.$inferSelect;

/** The parts of a lesson and of its order (as it was before this lesson's time was used). */
export interface ConsumedLesson {
  lesson: { id: string; orderId: string; teacherId: string; slots: number };
  orderBefore: {
    currency: string;
    paidAmount: number | null;
    payableAmount: number;
    slotsBought: number;
    slotsUsed: number;
  };
  now: Date;
}

/**
 * The ledger lines of one settlement (pure): the lesson's value leaves prepaid lessons, the
 * teacher's share goes to their payable, the commission to platform revenue. Zero lines are
 * left out (a 0% or 100% rate); a lesson worth nothing has no lines at all.
 */
export function settlementLines(
  accounts: { prepaid: string; payable: string; revenue: string },
  currency: string,
  amounts: { gross: number; commission: number; net: number },
): LedgerLine[] {
  if (amounts.gross === 0) return [];
  return [
    { accountId: accounts.prepaid, currency, amount: -amounts.gross },
    { accountId: accounts.payable, currency, amount: amounts.net },
    { accountId: accounts.revenue, currency, amount: amounts.commission },
  ].filter((line) => line.amount !== 0);
}

/**
 * Pays the teacher for a lesson whose time was consumed, inside the transaction that consumed
 * it (the caller holds the order's lock). The rule: a completed lesson, a no-show and a late
 * cancellation by the student (hours forfeited) all pay the teacher alike — the teacher kept
 * the time for the student. The lesson is worth its share of what the order was paid
 * (lessonValue: the shares of an order's lessons add up to exactly its payment); the platform
 * keeps its commission at the teacher's current rate. Once per lesson: a second call writes
 * nothing and returns the first settlement with `created: false`.
 */
export async function settleConsumedLesson(
  tx: Transaction,
  input: ConsumedLesson,
): Promise<{ settlement: LessonSettlementRow; created: boolean }> {
  const { lesson, orderBefore: order, now } = input;
  const earlier = await findSettlement(tx, lesson.id);
  if (earlier) return { settlement: earlier, created: false };

  const [teacher] = await tx
    .select({ commissionBps: teachers.commissionBps })
    .from(teachers)
    .where(eq(teachers.id, lesson.teacherId));
  if (!teacher) throw new Error(`settlement: teacher ${lesson.teacherId} missing`);
  const bps = commissionBpsFor(teacher);
  const gross = lessonValue(
    {
      paid: order.paidAmount ?? order.payableAmount,
      bought: order.slotsBought,
      usedBefore: order.slotsUsed,
    },
    lesson.slots,
  );
  const { commission, net } = commissionSplit(gross, bps);
  const { currency } = order;

  let ledgerTransactionId: number | null = null;
  if (gross > 0) {
    const lines = settlementLines(
      {
        prepaid: (await platformAccount(tx, "prepaid_lessons", currency)).id,
        payable: (await teacherPayableAccount(tx, lesson.teacherId, currency)).id,
        revenue: (await platformAccount(tx, "platform_revenue", currency)).id,
      },
      currency,
      { gross, commission, net },
    );
    const posting = await postTransaction(tx, {
      reference: { kind: "settlement", id: lesson.id, purpose: "lesson" },
      memo: `lesson ${lesson.id}`,
      lines,
    });
    ledgerTransactionId = posting.transaction.id;
  }

  const [settlement] = await tx
    .insert(lessonSettlements)
    .values({
      lessonId: lesson.id,
      orderId: lesson.orderId,
      teacherId: lesson.teacherId,
      currency,
      slots: lesson.slots,
      gross,
      commissionBps: bps,
      commission,
      net,
      ledgerTransactionId,
      settledAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (settlement) return { settlement, created: true };
  const raced = await findSettlement(tx, lesson.id);
  if (!raced) throw new Error(`settlement of lesson ${lesson.id} neither written nor found`);
  return { settlement: raced, created: false };
}

async function findSettlement(
  tx: Transaction,
  lessonId: string,
): Promise<LessonSettlementRow | null> {
  const [row] = await tx
    .select()
    .from(lessonSettlements)
    .where(eq(lessonSettlements.lessonId, lessonId))
    .limit(1);
  return row ?? null;
}
