import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { paymentItems, payments } from "../../db/schema";
import { DomainError } from "../domainError";
import { isSnowflakeId } from "../ids/snowflake";
import { nextPaymentStatus, type PaymentEvent } from "./paymentStateMachine";

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentItemRow = typeof paymentItems.$inferSelect;

/** Reads and locks a payment for the rest of the transaction; null if there is none. */
export async function lockPayment(tx: Transaction, paymentId: string): Promise<PaymentRow | null> {
  // A gateway may send any digits: one that cannot be an id is simply not ours.
  if (!isSnowflakeId(paymentId)) return null;
  const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  return row ?? null;
}

export async function paymentItemsOf(db: Executor, paymentId: string): Promise<PaymentItemRow[]> {
  return db
    .select()
    .from(paymentItems)
    .where(eq(paymentItems.paymentId, paymentId))
    .orderBy(asc(paymentItems.orderId));
}

type PaymentChanges = Partial<
  Pick<
    PaymentRow,
    | "gatewayReference"
    | "checkoutUrl"
    | "gatewayTransactionId"
    | "succeededAt"
    | "refundedAmount"
    | "failureReason"
  >
>;

/**
 * The only way a payment row changes after it is created: through the state machine
 * (`events` applied in turn, e.g. succeed then refund) and a version compare-and-set.
 */
export async function updatePayment(
  tx: Transaction,
  payment: PaymentRow,
  change: { events?: PaymentEvent[]; set?: PaymentChanges },
): Promise<PaymentRow> {
  let status = payment.status;
  for (const event of change.events ?? []) {
    const next = nextPaymentStatus(status, event);
    if (!next) throw new DomainError("conflict", `This payment is ${status}`, "paymentId");
    status = next;
  }
  const [row] = await tx
    .update(payments)
    .set({
      ...change.set,
      status,
      version: sql`${payments.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payments.id, payment.id), eq(payments.version, payment.version)))
    .returning();
  if (!row) {
    throw new DomainError(
      "conflict",
      "This payment changed in the meantime; nothing was saved. Try again.",
      "paymentId",
    );
  }
  return row;
}
