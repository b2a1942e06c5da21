import { and, eq, inArray, ne, sum } from "drizzle-orm";
import type { Database, Executor, Transaction } from "../../db/client";
import { refunds } from "../../db/schema";
import { DomainError } from "../domainError";
import { platformAccount, walletAccount } from "../ledger/ledgerAccounts";
import type { LedgerLine } from "../ledger/ledgerPosting";
import { postTransaction } from "../ledger/postTransaction";
import type { OrderRow } from "../trade/orderRecords";
import { completeOrderRefund, returnOrderFromRefund } from "../trade/orderRefund";
import { lockOrderOf } from "../trade/tradeAccess";
import { tradeTransaction } from "../trade/tradeTransaction";
import { lockPayment, updatePayment } from "./paymentRecords";
import { findRefund, lockRefund, type RefundRow, updateRefund } from "./refundRecords";
import { splitRefund } from "./refundRules";
import { enabledGateway, type GatewayLookup, sendGatewayRefund } from "./sendGatewayRefund";

/** What earlier approved refunds of a payment sent (or are sending) back through its gateway. */
export async function gatewayRefundedBefore(
  db: Executor,
  paymentId: string,
  exceptRefundId: string,
): Promise<number> {
  const [row] = await db
    .select({ total: sum(refunds.toGateway) })
    .from(refunds)
    .where(
      and(
        eq(refunds.paymentId, paymentId),
        inArray(refunds.status, ["processing", "succeeded"]),
        ne(refunds.id, exceptRefundId),
      ),
    );
  return Number(row?.total ?? 0);
}

/**
 * Approves a `requested` refund inside the caller's transaction, which holds the order's and
 * the refund's row locks (in that order; the payment and the ledger accounts are locked
 * after them). One transaction moves everything that is ours to move:
 *
 * - the split to the original method, decided now under the payment's lock (a combined
 *   checkout's orders share its gateway part): gateway first, the rest to the wallet;
 * - the refund → processing (→ succeeded at once when nothing goes to the gateway);
 * - the order → refunded or partially refunded;
 * - one posting (reference `refund`/id, purpose "approve"): prepaid_lessons −amount,
 *   student_wallet +toWallet, refunds_payable +toGateway;
 * - the payment's refunded amount, and its status through its state machine.
 *
 * The gateway part is sent after the commit (sendGatewayRefund): no network in a transaction.
 */
export async function approveInTransaction(
  tx: Transaction,
  refund: RefundRow,
  order: OrderRow,
  decidedBy: string | null,
  now: Date,
): Promise<RefundRow> {
  const payment = await lockPayment(tx, refund.paymentId);
  if (!payment) throw new Error(`refund ${refund.id} names no payment`);
  const { toGateway, toWallet } = splitRefund({
    amount: refund.amount,
    fromGateway: payment.fromGateway,
    gatewayRefundedBefore: await gatewayRefundedBefore(tx, payment.id, refund.id),
  });
  const approved = await updateRefund(tx, refund, {
    events: toGateway === 0 ? ["approve", "complete"] : ["approve"],
    set: {
      toGateway,
      toWallet,
      decidedBy,
      decidedAt: now,
      completedAt: toGateway === 0 ? now : null,
    },
  });
  await completeOrderRefund(tx, order, now);
  if (refund.amount > 0) {
    const { currency } = refund;
    const prepaid = await platformAccount(tx, "prepaid_lessons", currency);
    const wallet = await walletAccount(tx, refund.studentId, currency);
    const payable = await platformAccount(tx, "refunds_payable", currency);
    const lines: LedgerLine[] = [
      { accountId: prepaid.id, currency, amount: -refund.amount },
      { accountId: wallet.id, currency, amount: toWallet },
      { accountId: payable.id, currency, amount: toGateway },
    ];
    await postTransaction(tx, {
      reference: { kind: "refund", id: refund.id, purpose: "approve" },
      memo: `refund of ${refund.slots / 2} unused hours of order ${refund.orderId}`,
      lines: lines.filter((l) => l.amount !== 0),
    });
    const refundedAmount = payment.refundedAmount + refund.amount;
    await updatePayment(tx, payment, {
      events: [refundedAmount >= payment.amount ? "refund" : "refundPartially"],
      set: { refundedAmount },
    });
  }
  return approved;
}

/**
 * Locks a refund with its order (order first, like every trade write) and checks it still
 * waits for a decision; a second administrator deciding the same refund gets a conflict.
 */
async function lockRequested(
  tx: Transaction,
  refundId: string,
): Promise<{ refund: RefundRow; order: OrderRow }> {
  const known = await findRefund(tx, refundId);
  if (!known) throw new DomainError("not_found", "No such refund", "refundId");
  const order = await lockOrderOf(tx, known.orderId, "any");
  const refund = await lockRefund(tx, refundId);
  if (!refund) throw new DomainError("not_found", "No such refund", "refundId");
  if (refund.status !== "requested") {
    throw new DomainError(
      "conflict",
      refund.status === "declined"
        ? "This refund was already declined"
        : "This refund was already approved",
      "refundId",
    );
  }
  return { refund, order };
}

/** An administrator approves a student's request; the gateway part is sent after the commit. */
export async function approveRefund(
  db: Database,
  admin: { userId: string },
  refundId: string,
  now = new Date(),
  gateways: GatewayLookup = enabledGateway,
): Promise<RefundRow> {
  const approved = await tradeTransaction(db, async (tx) => {
    const { refund, order } = await lockRequested(tx, refundId);
    return approveInTransaction(tx, refund, order, admin.userId, now);
  });
  return sendGatewayRefund(db, approved.id, now, gateways);
}

/** An administrator declines a request, saying why: the order is bookable again as it was. */
export async function declineRefund(
  db: Database,
  admin: { userId: string },
  input: { refundId: string; reason: string },
  now = new Date(),
): Promise<RefundRow> {
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > 500) {
    throw new DomainError("invalid", "Tell the student why, in 3 to 500 characters", "reason");
  }
  return tradeTransaction(db, async (tx) => {
    const { refund, order } = await lockRequested(tx, input.refundId);
    const declined = await updateRefund(tx, refund, {
      events: ["decline"],
      set: { declineReason: reason, decidedBy: admin.userId, decidedAt: now },
    });
    await returnOrderFromRefund(tx, order);
    return declined;
  });
}
