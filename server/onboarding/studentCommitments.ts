import { and, count, eq, inArray, sum } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { ledgerAccounts, orders } from "../../db/schema";
import type { StudentCommitments } from "./applicationRules";

/** Orders that still hold the student's time or money. */
const LIVE_ORDERS = ["pending_payment", "paid", "active", "refund_requested"] as const;

/**
 * What the account still has as a student. An account has one role, so becoming a teacher
 * closes its student area: these would be stranded there (applicationRules.commitmentsRefusal).
 */
export async function studentCommitments(
  db: Executor,
  userId: string,
): Promise<StudentCommitments> {
  const [live] = await db
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.studentId, userId), inArray(orders.status, [...LIVE_ORDERS])));
  const [wallet] = await db
    .select({ total: sum(ledgerAccounts.balance).mapWith(Number) })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, "student_wallet"), eq(ledgerAccounts.ownerUserId, userId)));
  return { liveOrders: live?.n ?? 0, walletBalance: wallet?.total ?? 0 };
}
