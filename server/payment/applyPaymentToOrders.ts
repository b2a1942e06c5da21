import { and, eq, inArray } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { orders, paymentItems } from "../../db/schema";
import { DomainError } from "../domainError";
import { platformAccount, walletAccount } from "../ledger/ledgerAccounts";
import type { LedgerLine } from "../ledger/ledgerPosting";
import { postTransaction } from "../ledger/postTransaction";
import { confirmOrderPaid } from "../trade/confirmOrderPaid";
import { describeOrderStatus } from "../trade/orderStateMachine";
import {
  type PaymentItemRow,
  type PaymentRow,
  paymentItemsOf,
  updatePayment,
} from "./paymentRecords";
import type { PaymentEvent } from "./paymentStateMachine";

/**
 * Each item's share of the payment's amount: its own amount minus its part of the discount
 * (proportional; the rounding remainder goes to the last item), so the shares sum to the amount.
 */
export function itemShares(
  items: readonly Pick<PaymentItemRow, "orderId" | "amount">[],
  discount: number,
): Map<string, number> {
  const total = items.reduce((sum, i) => sum + i.amount, 0);
  const shares = new Map<string, number>();
  let given = 0;
  items.forEach((item, i) => {
    const cut =
      i === items.length - 1
        ? discount - given
        : total === 0
          ? 0
          : Math.floor((discount * item.amount) / total);
    given += cut;
    shares.set(item.orderId, item.amount - cut);
  });
  return shares;
}

const nonZero = (lines: LedgerLine[]) => lines.filter((l) => l.amount !== 0);

async function refundNote(tx: Transaction, orderId: string): Promise<string> {
  const [order] = await tx
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (order?.status === "expired") {
    return "Refunded to your wallet: the held time expired before the payment arrived.";
  }
  const state = order ? describeOrderStatus(order.status) : "no longer available";
  return `Refunded to your wallet: the order was ${state} when the payment arrived.`;
}

/**
 * The one place a successful payment meets trade (issue 6): inside the payment's transaction,
 * each of its trade orders is confirmed paid (held lessons booked). An order that can no
 * longer be paid — its hold lapsed and it expired, or it was cancelled or paid meanwhile —
 * gets its share back in the payer's wallet (`prepaid_lessons −a, student_wallet +a`,
 * reference `refund`), and its item says why. Orders are locked before the ledger accounts,
 * like a wallet checkout does, so the two never wait on each other in opposite orders.
 * Returns what went back to the wallet.
 */
export async function applyPaymentToOrders(
  tx: Transaction,
  payment: PaymentRow,
  now: Date,
): Promise<number> {
  const items = await paymentItemsOf(tx, payment.id);
  const shares = itemShares(items, payment.discount);
  const refunds: { orderId: string; amount: number; note: string }[] = [];
  for (const item of items) {
    try {
      // A savepoint: a refused order leaves nothing behind, the rest of the payment goes on.
      await tx.transaction((savepoint) =>
        confirmOrderPaid(savepoint, item.orderId, now, shares.get(item.orderId)),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || !["conflict", "not_found"].includes(error.kind)) {
        throw error;
      }
      refunds.push({
        orderId: item.orderId,
        amount: shares.get(item.orderId) ?? 0,
        note: await refundNote(tx, item.orderId),
      });
    }
  }
  const refunded = new Set(refunds.map((r) => r.orderId));
  const paid = items.filter((i) => !refunded.has(i.orderId)).map((i) => i.orderId);
  if (paid.length > 0) {
    await tx
      .update(paymentItems)
      .set({ outcome: "paid" })
      .where(and(eq(paymentItems.paymentId, payment.id), inArray(paymentItems.orderId, paid)));
  }
  for (const refund of refunds) {
    await tx
      .update(paymentItems)
      .set({ outcome: "refunded_to_wallet", note: refund.note })
      .where(and(eq(paymentItems.paymentId, payment.id), eq(paymentItems.orderId, refund.orderId)));
  }
  await captureToLedger(tx, payment);
  let total = 0;
  for (const refund of refunds) {
    if (refund.amount === 0) continue;
    total += refund.amount;
    const prepaid = await platformAccount(tx, "prepaid_lessons", payment.currency);
    const wallet = await walletAccount(tx, payment.payerId, payment.currency);
    await postTransaction(tx, {
      reference: { kind: "refund", id: payment.id, purpose: `order ${refund.orderId}` },
      memo: refund.note,
      lines: [
        { accountId: prepaid.id, currency: payment.currency, amount: -refund.amount },
        { accountId: wallet.id, currency: payment.currency, amount: refund.amount },
      ],
    });
  }
  return total;
}

/**
 * The money of a successful payment, one posting (reference `payment`/id, purpose
 * `capture`): the gateway part out of gateway clearing, the wallet part out of the wallet,
 * all of it into prepaid lessons (a top-up: into the wallet).
 */
async function captureToLedger(tx: Transaction, payment: PaymentRow): Promise<void> {
  if (payment.amount === 0) return;
  const { currency } = payment;
  const clearing = await platformAccount(tx, "gateway_clearing", currency);
  const wallet = await walletAccount(tx, payment.payerId, currency);
  const target =
    payment.purpose === "top_up" ? wallet : await platformAccount(tx, "prepaid_lessons", currency);
  const lines = nonZero([
    { accountId: clearing.id, currency, amount: -payment.fromGateway },
    { accountId: wallet.id, currency, amount: -payment.fromWallet },
  ]);
  const into = lines.find((l) => l.accountId === target.id);
  if (into) into.amount += payment.amount;
  else lines.push({ accountId: target.id, currency, amount: payment.amount });
  await postTransaction(tx, {
    reference: { kind: "payment", id: payment.id, purpose: "capture" },
    memo: payment.purpose === "top_up" ? "wallet top-up" : "payment for lessons",
    lines: nonZero(lines),
  });
}

/**
 * A payment's success, inside its transaction (the payment is locked by the caller and is
 * `created` or `pending`): orders confirmed, money captured, unpayable orders refunded to
 * the wallet; the payment becomes succeeded — then partially_refunded or refunded when some
 * or all of it went back to the wallet.
 */
export async function succeedPayment(
  tx: Transaction,
  payment: PaymentRow,
  now: Date,
  transactionId: string | null,
): Promise<PaymentRow> {
  const back = payment.purpose === "orders" ? await applyPaymentToOrders(tx, payment, now) : 0;
  if (payment.purpose === "top_up") await captureToLedger(tx, payment);
  const events: PaymentEvent[] = ["succeed"];
  if (back > 0) events.push(back >= payment.amount ? "refund" : "refundPartially");
  return updatePayment(tx, payment, {
    events,
    set: { gatewayTransactionId: transactionId, succeededAt: now, refundedAmount: back },
  });
}

/**
 * The rule when a mixed payment's gateway part arrives but the wallet no longer covers the
 * wallet part (the student spent it meanwhile): nothing is bought. What the gateway collected
 * goes into the wallet (`gateway_clearing −g, student_wallet +g`), every item is marked
 * refunded to the wallet with the reason, and the payment is succeeded then refunded. The
 * orders stay unpaid until their hold lapses; the student may pay them again from the wallet.
 */
export async function succeedIntoWallet(
  tx: Transaction,
  payment: PaymentRow,
  now: Date,
  transactionId: string,
): Promise<PaymentRow> {
  const { currency } = payment;
  const clearing = await platformAccount(tx, "gateway_clearing", currency);
  const wallet = await walletAccount(tx, payment.payerId, currency);
  const note =
    "Refunded to your wallet: your wallet no longer covered its part of this payment when the card payment arrived.";
  await postTransaction(tx, {
    reference: { kind: "payment", id: payment.id, purpose: "gateway to wallet" },
    memo: note,
    lines: [
      { accountId: clearing.id, currency, amount: -payment.fromGateway },
      { accountId: wallet.id, currency, amount: payment.fromGateway },
    ],
  });
  await tx
    .update(paymentItems)
    .set({ outcome: "refunded_to_wallet", note })
    .where(eq(paymentItems.paymentId, payment.id));
  return updatePayment(tx, payment, {
    events: ["succeed", "refund"],
    set: {
      gatewayTransactionId: transactionId,
      succeededAt: now,
      refundedAmount: payment.fromGateway,
      failureReason: note,
    },
  });
}
