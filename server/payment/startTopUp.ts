import { and, eq } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { payments } from "../../db/schema";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import type { GatewayProvider } from "./gateway";
import { openCheckout } from "./openCheckout";
import type { PaymentRow } from "./paymentRecords";
import { sandboxGateway } from "./sandboxGateway";
import { present, type StartedPayment } from "./startPayment";
import { topUpProblem } from "./topUpRules";

export interface StartTopUpInput {
  /** Minor units. */
  amount: number;
  currency: string;
  /** The client's key for this top-up: submitting it again returns the same payment. */
  idempotencyKey: string;
  /** Absolute origin for the gateway's return URLs; "" keeps them relative (the sandbox). */
  appUrl: string;
}

/** How long a top-up checkout stays open at the gateway before the sweep expires it. */
export const TOP_UP_CHECKOUT_MINUTES = 60;

async function existingTopUp(
  tx: Transaction,
  payerId: string,
  input: StartTopUpInput,
): Promise<PaymentRow | null> {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.payerId, payerId), eq(payments.idempotencyKey, input.idempotencyKey)))
    .limit(1);
  if (!payment) return null;
  if (
    payment.purpose !== "top_up" ||
    payment.amount !== input.amount ||
    payment.currency !== input.currency
  ) {
    throw new DomainError(
      "invalid",
      "This checkout key was already used for another payment",
      "idempotencyKey",
    );
  }
  return payment;
}

/**
 * Starts a wallet top-up through the gateway: a payment with purpose `top_up`, no items, all
 * of it from the gateway, open for an hour. Idempotent per (payer, key) like startPayment: a
 * resubmission returns the same payment (and finishes its checkout if a first attempt failed
 * before reaching the gateway). The wallet is credited when the gateway's success arrives
 * (succeedPayment posts `gateway_clearing −x, student_wallet +x`) — also a late one.
 */
export async function startTopUp(
  db: Database,
  payerId: string,
  input: StartTopUpInput,
  now = new Date(),
  gateway: GatewayProvider = sandboxGateway(),
): Promise<StartedPayment> {
  const problem = topUpProblem(input.amount, input.currency);
  if (problem) throw new DomainError("invalid", problem.message, problem.field);
  const { payment, created } = await db.transaction(async (tx) => {
    const existing = await existingTopUp(tx, payerId, input);
    if (existing) return { payment: existing, created: false };
    const [inserted] = await tx
      .insert(payments)
      .values({
        id: newId(),
        payerId,
        purpose: "top_up",
        currency: input.currency,
        itemsTotal: input.amount,
        discount: 0,
        amount: input.amount,
        fromWallet: 0,
        fromGateway: input.amount,
        method: "gateway",
        gateway: gateway.name,
        idempotencyKey: input.idempotencyKey,
        expiresAt: new Date(now.getTime() + TOP_UP_CHECKOUT_MINUTES * 60_000),
      })
      // A concurrent submission with the same key: wait for it, then return its payment.
      .onConflictDoNothing({ target: [payments.payerId, payments.idempotencyKey] })
      .returning();
    if (inserted) return { payment: inserted, created: true };
    const raced = await existingTopUp(tx, payerId, input);
    if (!raced) throw new Error("top-up was neither created nor found");
    return { payment: raced, created: false };
  });
  if (payment.status !== "created") return present(payment, created);
  return present(await openCheckout(db, payment, input.appUrl, gateway), created);
}
