import { and, asc, count, desc, eq, inArray, ne } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { lessons, orders, paymentItems, refunds, users } from "../../db/schema";
import { orderOf, type TradeParty } from "../trade/tradeAccess";
import type { RefundRow } from "./refundRecords";
import { refundCoolingOffDays, refundQuote, withinCoolingOff } from "./refundRules";

/** What a student or teacher sees of a refund (no provider error text, no admin ids). */
function present(refund: RefundRow) {
  return {
    id: refund.id,
    status: refund.status,
    slots: refund.slots,
    amount: refund.amount,
    toWallet: refund.toWallet,
    toGateway: refund.toGateway,
    currency: refund.currency,
    requestedBy: refund.requestedBy,
    reason: refund.reason,
    declineReason: refund.declineReason,
    createdAt: refund.createdAt,
    decidedAt: refund.decidedAt,
    completedAt: refund.completedAt,
  };
}

export type RefundView = ReturnType<typeof present>;

/**
 * The refunds of one order, newest first, for its student or teacher, and — while the order
 * is paid or in use — what a refund would give back now: the unused hours and their value,
 * how many booked lessons must be cancelled first, and whether a student's request would be
 * approved at once (cooling-off).
 */
export async function orderRefunds(db: Executor, party: TradeParty, orderId: string, now: Date) {
  const [found] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  const order = orderOf(found, party);
  const history = await db
    .select()
    .from(refunds)
    .where(eq(refunds.orderId, orderId))
    .orderBy(desc(refunds.createdAt), desc(refunds.id));
  let quote = null;
  if (order.status === "paid" || order.status === "active") {
    const [live] = await db
      .select({ n: count() })
      .from(lessons)
      .where(and(eq(lessons.orderId, orderId), inArray(lessons.status, ["held", "booked"])));
    const [paid] = await db
      .select({ n: count() })
      .from(paymentItems)
      .where(and(eq(paymentItems.orderId, orderId), eq(paymentItems.outcome, "paid")));
    const { slots, amount } = refundQuote(order);
    quote = {
      slots,
      amount,
      currency: order.currency,
      bookedLessons: live?.n ?? 0,
      hasPayment: (paid?.n ?? 0) > 0,
      approvedAtOnce: withinCoolingOff(order, now, refundCoolingOffDays()),
    };
  }
  return { refunds: history.map(present), quote };
}

const adminColumns = {
  refund: refunds,
  courseTitle: orders.courseTitle,
  teacherName: orders.teacherName,
  slotsBought: orders.slotsBought,
  slotsUsed: orders.slotsUsed,
  studentName: users.name,
  studentEmail: users.email,
};

/** The back office's list: requests waiting for a decision (oldest first) and recent ones. */
export async function refundsForAdmin(db: Executor, limit = 50) {
  const base = () =>
    db
      .select(adminColumns)
      .from(refunds)
      .innerJoin(orders, eq(orders.id, refunds.orderId))
      .innerJoin(users, eq(users.id, refunds.studentId));
  const pending = await base()
    .where(eq(refunds.status, "requested"))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .limit(limit);
  const recent = await base()
    .where(ne(refunds.status, "requested"))
    .orderBy(desc(refunds.decidedAt), desc(refunds.id))
    .limit(limit);
  const row = (r: (typeof pending)[number]) => ({
    ...present(r.refund),
    orderId: r.refund.orderId,
    lastError: r.refund.lastError,
    attempts: r.refund.attempts,
    courseTitle: r.courseTitle,
    teacherName: r.teacherName,
    slotsBought: r.slotsBought,
    slotsUsed: r.slotsUsed,
    studentName: r.studentName ?? "A student",
    studentEmail: r.studentEmail,
  });
  return { pending: pending.map(row), recent: recent.map(row) };
}
