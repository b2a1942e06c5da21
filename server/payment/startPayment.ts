import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { orders, paymentItems, payments } from "../../db/schema";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import { walletAccount } from "../ledger/ledgerAccounts";
import { checkOrderOffers } from "../marketing/orderOfferLifecycle";
import { isPartyTo } from "../trade/tradeAccess";
import { tradeTransaction } from "../trade/tradeTransaction";
import { succeedPayment } from "./applyPaymentToOrders";
import type { GatewayProvider } from "./gateway";
import { openCheckout } from "./openCheckout";
import { type PaymentRow, paymentItemsOf } from "./paymentRecords";
import { type PaymentMethod, PaymentSplitError, splitPayment } from "./paymentSplit";
import type { PaymentStatus } from "./paymentStateMachine";
import { sandboxGateway } from "./sandboxGateway";

export interface StartPaymentInput {
  /** The client's key for this checkout: submitting it again returns the same payment. */
  idempotencyKey: string;
  orderIds: string[];
  method: PaymentMethod;
  /** Absolute origin for the gateway's return URLs; "" keeps them relative (the sandbox). */
  appUrl: string;
}

export interface StartedPayment {
  paymentId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  fromWallet: number;
  fromGateway: number;
  /** Where to send the payer to finish at the gateway; null when nothing is left to pay there. */
  redirectUrl: string | null;
  /** False when the key had been used before and that payment is returned. */
  created: boolean;
}

export const present = (payment: PaymentRow, created: boolean): StartedPayment => ({
  paymentId: payment.id,
  status: payment.status,
  amount: payment.amount,
  currency: payment.currency,
  fromWallet: payment.fromWallet,
  fromGateway: payment.fromGateway,
  redirectUrl: payment.status === "pending" ? payment.checkoutUrl : null,
  created,
});

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");

async function existingPayment(
  tx: Transaction,
  payerId: string,
  idempotencyKey: string,
  orderIds: readonly string[],
): Promise<PaymentRow | null> {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.payerId, payerId), eq(payments.idempotencyKey, idempotencyKey)))
    .limit(1);
  if (!payment) return null;
  const items = await paymentItemsOf(tx, payment.id);
  if (
    !sameSet(
      items.map((i) => i.orderId),
      orderIds,
    )
  ) {
    throw new DomainError(
      "invalid",
      "This checkout key was already used for other orders",
      "idempotencyKey",
    );
  }
  return payment;
}

/**
 * Starts paying one or more of the payer's unpaid trade orders (combined checkout), in one
 * transaction: the orders are locked and checked (the payer's, awaiting payment, hold not
 * lapsed, one currency), the wallet balance read, the amounts split (paymentSplit), the
 * payment and its items written. When the wallet covers everything it is applied at once in
 * the same transaction (ledger, orders paid, lessons booked). Otherwise the payment waits for
 * the gateway: the wallet part of a mixed payment is NOT taken now but when the gateway part
 * succeeds, in that same transaction — so an abandoned checkout never strands wallet money.
 * The hosted checkout is created after the insert commits (no network call inside a
 * transaction), then the payment becomes `pending` with the gateway's reference. Idempotent
 * per (payer, key): a resubmission returns the same payment (and finishes its checkout if a
 * first attempt failed before reaching the gateway).
 */
export async function startPayment(
  db: Database,
  payerId: string,
  input: StartPaymentInput,
  now = new Date(),
  gateway: GatewayProvider = sandboxGateway(),
): Promise<StartedPayment> {
  const orderIds = [...new Set(input.orderIds)];
  if (orderIds.length === 0 || orderIds.length !== input.orderIds.length) {
    throw new DomainError("invalid", "Pick each order to pay once", "orderIds");
  }
  const { payment, created } = await tradeTransaction(db, async (tx) => {
    // Orders first, in id order (as every trade write and the wallet ledger path): a
    // concurrent resubmission with the same key waits here, then finds the payment below.
    const rows = await tx
      .select()
      .from(orders)
      .where(inArray(orders.id, orderIds))
      .orderBy(asc(orders.id))
      .for("update");
    const existing = await existingPayment(tx, payerId, input.idempotencyKey, orderIds);
    if (existing) return { payment: existing, created: false };
    if (
      rows.length !== orderIds.length ||
      rows.some((o) => !isPartyTo(o, { studentId: payerId }))
    ) {
      throw new DomainError("not_found", "No such order", "orderIds");
    }
    for (const order of rows) {
      if (order.status !== "pending_payment" || order.holdExpiresAt.getTime() <= now.getTime()) {
        throw new DomainError(
          "conflict",
          order.status === "pending_payment" || order.status === "expired"
            ? "The time held for this order has run out. Start the checkout again."
            : "This order is not waiting for payment",
          "orderIds",
        );
      }
    }
    // The orders' coupons and promotions are checked again (issue 7: at order and at payment).
    await checkOrderOffers(tx, orderIds, now);
    const currency = rows[0]!.currency;
    if (rows.some((o) => o.currency !== currency)) {
      throw new DomainError("invalid", "Orders in different currencies are paid apart", "orderIds");
    }
    const wallet = await walletAccount(tx, payerId, currency);
    let split: ReturnType<typeof splitPayment>;
    try {
      split = splitPayment({
        items: rows.map((o) => ({ orderId: o.id, amount: o.payableAmount })),
        method: input.method,
        walletBalance: wallet.balance,
      });
    } catch (error) {
      if (!(error instanceof PaymentSplitError)) throw error;
      throw new DomainError(
        error.field === "method" ? "conflict" : "invalid",
        error.message,
        error.field === "items" ? "orderIds" : error.field,
      );
    }
    const [inserted] = await tx
      .insert(payments)
      .values({
        id: newId(),
        payerId,
        purpose: "orders",
        currency,
        itemsTotal: split.itemsTotal,
        discount: split.discount,
        amount: split.total,
        fromWallet: split.fromWallet,
        fromGateway: split.fromGateway,
        method: input.method,
        gateway: split.fromGateway > 0 ? gateway.name : null,
        idempotencyKey: input.idempotencyKey,
        expiresAt: new Date(Math.min(...rows.map((o) => o.holdExpiresAt.getTime()))),
      })
      .onConflictDoNothing({ target: [payments.payerId, payments.idempotencyKey] })
      .returning();
    if (!inserted) {
      const raced = await existingPayment(tx, payerId, input.idempotencyKey, orderIds);
      if (!raced) throw new Error("payment was neither created nor found");
      return { payment: raced, created: false };
    }
    await tx
      .insert(paymentItems)
      .values(
        rows.map((o) => ({ paymentId: inserted.id, orderId: o.id, amount: o.payableAmount })),
      );
    if (split.fromGateway === 0) {
      return { payment: await succeedPayment(tx, inserted, now, null), created: true };
    }
    return { payment: inserted, created: true };
  });
  if (payment.status !== "created") return present(payment, created);
  return present(await openCheckout(db, payment, input.appUrl, gateway), created);
}
