import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { orders, paymentApplications } from "../../db/schema";
import { platformAccount, walletAccount } from "../ledger/ledgerAccounts";
import { lockAccounts } from "../ledger/postTransaction";
import { tradeTransaction } from "../trade/tradeTransaction";
import { succeedIntoWallet, succeedPayment } from "./applyPaymentToOrders";
import type { GatewayEvent, GatewayName } from "./gateway";
import { lockPayment, type PaymentRow, paymentItemsOf, updatePayment } from "./paymentRecords";

export type CallbackOutcome = "applied" | "duplicate" | "rejected" | "ignored" | "failed";

export interface EventResult {
  outcome: CallbackOutcome;
  /** Why, for the stored callback (and the gateway's alert on a rejection). */
  reason: string | null;
  /** The payment the event is about, when it exists. */
  paymentId: string | null;
}

const result = (
  outcome: CallbackOutcome,
  reason: string | null,
  paymentId: string | null = null,
): EventResult => ({ outcome, reason, paymentId });

/**
 * Applies one verified gateway event inside the caller's transaction. Everything about one
 * payment is serialised on its row lock (`FOR UPDATE`), and every check comes before the
 * first write, so a rejected event writes nothing:
 *
 * - `succeeded`: a (gateway, transaction id) already applied is a duplicate and changes
 *   nothing; the amount must equal the payment's gateway part and the currency its currency;
 *   the payment must not have succeeded already (under another transaction id: rejected).
 *   A `failed` or `expired` payment still succeeds — the gateway's word that money moved
 *   overrides a decline or our timeout (late money). Then the application row is inserted
 *   (the at-most-once key, `ON CONFLICT DO NOTHING` as the backstop), the wallet part taken,
 *   the money posted, each trade order confirmed or its share refunded to the wallet (a
 *   top-up: credited), and the payment marked succeeded. If the wallet no longer covers the
 *   wallet part of a mixed payment, the gateway money goes to the wallet instead and nothing
 *   is bought (succeedIntoWallet); that is decided under locks (walletCoversItsPart).
 * - `failed`: a `created`/`pending` payment becomes failed; no money moved; its orders stay
 *   unpaid until their holds lapse. A failure for a payment already settled is ignored.
 */
export async function applyEventInTransaction(
  tx: Transaction,
  gateway: GatewayName,
  event: GatewayEvent,
  now: Date,
): Promise<EventResult> {
  if (event.kind === "ignored") return result("ignored", `event ${event.type}`);
  const payment = await lockPayment(tx, event.paymentId);
  if (!payment) return result("rejected", `unknown payment ${event.paymentId}`);
  const { id } = payment;
  if (payment.gateway !== gateway) {
    return result("rejected", `payment is not paid through ${gateway}`, id);
  }
  const open = payment.status === "created" || payment.status === "pending";

  if (event.kind === "failed") {
    if (payment.status === "failed") return result("duplicate", "already failed", id);
    if (!open) return result("ignored", `failure for a payment that is ${payment.status}`, id);
    await updatePayment(tx, payment, { events: ["fail"], set: { failureReason: event.reason } });
    return result("applied", `failed: ${event.reason}`, id);
  }

  const [applied] = await tx
    .select()
    .from(paymentApplications)
    .where(
      and(
        eq(paymentApplications.gateway, gateway),
        eq(paymentApplications.transactionId, event.transactionId),
      ),
    );
  if (applied) {
    return applied.paymentId === id
      ? result("duplicate", "already applied", id)
      : result("rejected", "transaction id already applied to another payment", id);
  }
  if (event.currency !== payment.currency) {
    return result("rejected", `currency ${event.currency}, expected ${payment.currency}`, id);
  }
  if (event.amount !== payment.fromGateway) {
    return result("rejected", `amount ${event.amount}, expected ${payment.fromGateway}`, id);
  }
  const late = payment.status === "failed" || payment.status === "expired";
  if (!open && !late) {
    return result(
      "rejected",
      payment.gatewayTransactionId
        ? `payment already succeeded under transaction ${payment.gatewayTransactionId}`
        : `payment is ${payment.status}`,
      id,
    );
  }
  const [key] = await tx
    .insert(paymentApplications)
    .values({ gateway, transactionId: event.transactionId, paymentId: id, appliedAt: now })
    .onConflictDoNothing()
    .returning();
  if (!key) return result("duplicate", "already applied", id);

  if (payment.fromWallet > 0 && !(await walletCoversItsPart(tx, payment))) {
    await succeedIntoWallet(tx, payment, now, event.transactionId);
    return result("applied", "wallet no longer covered its part: credited to the wallet", id);
  }
  const after = await succeedPayment(tx, payment, now, event.transactionId);
  const words = [
    late ? `late: the payment was ${payment.status}` : null,
    after.refundedAmount > 0 ? `${after.refundedAmount} refunded to the wallet` : null,
  ].filter(Boolean);
  return result("applied", words.length > 0 ? words.join("; ") : null, id);
}

/**
 * Whether the payer's wallet still holds the wallet part of a mixed payment, read under the
 * locks the capture will take, so the answer cannot change before the capture posts (a
 * spent wallet is a clean refund-to-wallet, never an overdraft error). Locks in the order
 * every money path takes them: the payment's trade orders in id order (as startPayment and
 * confirmOrderPaid), then the ledger accounts of the capture in id order (as postTransaction).
 */
async function walletCoversItsPart(tx: Transaction, payment: PaymentRow): Promise<boolean> {
  const items = await paymentItemsOf(tx, payment.id);
  if (items.length > 0) {
    await tx
      .select({ id: orders.id })
      .from(orders)
      .where(
        inArray(
          orders.id,
          items.map((i) => i.orderId),
        ),
      )
      .orderBy(asc(orders.id))
      .for("update");
  }
  const { currency } = payment;
  const wallet = await walletAccount(tx, payment.payerId, currency);
  const clearing = await platformAccount(tx, "gateway_clearing", currency);
  const prepaid = await platformAccount(tx, "prepaid_lessons", currency);
  const locked = await lockAccounts(tx, [wallet.id, clearing.id, prepaid.id]);
  return (locked.get(wallet.id)?.balance ?? 0) >= payment.fromWallet;
}

/** A verified gateway event, applied in one transaction of its own. */
export async function applyGatewayEvent(
  db: Database,
  gateway: GatewayName,
  event: GatewayEvent,
  now = new Date(),
): Promise<EventResult> {
  return tradeTransaction(db, (tx) => applyEventInTransaction(tx, gateway, event, now));
}
