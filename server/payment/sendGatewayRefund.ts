import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { payments, refunds } from "../../db/schema";
import { DomainError } from "../domainError";
import { platformAccount } from "../ledger/ledgerAccounts";
import { postTransaction } from "../ledger/postTransaction";
import type { GatewayProvider } from "./gateway";
import { gatewayNamed } from "./gateways";
import { findRefund, lockRefund, type RefundRow, updateRefund } from "./refundRecords";
import { gatewayRefundDue, MAX_GATEWAY_REFUND_ATTEMPTS } from "./refundRules";

/** Finds a gateway's provider by name; tests pass one that fails. */
export type GatewayLookup = (name: string) => GatewayProvider | null;
export const enabledGateway: GatewayLookup = gatewayNamed;

const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500) || "unknown error";

/**
 * Sends the gateway part of an approved (`processing`) refund back through the provider that
 * took the payment, outside any transaction, then records the outcome in one transaction:
 *
 * - accepted: refunds_payable −g, gateway_clearing +g (reference `refund`/id, purpose
 *   "gateway"), the refund → succeeded with the gateway's refund id;
 * - refused or unreachable: the error and one more attempt are recorded, the refund stays
 *   processing, and the sweep (retryGatewayRefunds) tries again later.
 *
 * Safe to run twice at once (after an approval and from the sweep): the provider refunds once
 * per refund id (Stripe: the idempotency key; the sandbox by construction), the refund row's
 * lock and state machine let one outcome through, and the posting is recorded once.
 * Returns the refund as it stands afterwards.
 */
export async function sendGatewayRefund(
  db: Database,
  refundId: string,
  now = new Date(),
  gateways: GatewayLookup = enabledGateway,
): Promise<RefundRow> {
  const refund = await findRefund(db, refundId);
  if (!refund) throw new DomainError("not_found", "No such refund", "refundId");
  if (refund.status !== "processing" || refund.toGateway === 0) return refund;
  const [payment] = await db.select().from(payments).where(eq(payments.id, refund.paymentId));
  let outcome: { ok: true; reference: string } | { ok: false; error: string };
  try {
    const provider = payment?.gateway ? gateways(payment.gateway) : null;
    if (!payment?.gateway || !provider) {
      throw new Error(`the ${payment?.gateway ?? "payment's"} gateway is not enabled here`);
    }
    if (!payment.gatewayTransactionId) throw new Error("the payment has no gateway transaction");
    const sent = await provider.refund({
      refundId: refund.id,
      transactionId: payment.gatewayTransactionId,
      amount: refund.toGateway,
      currency: refund.currency,
    });
    outcome = { ok: true, reference: sent.reference };
  } catch (error) {
    outcome = { ok: false, error: errorText(error) };
  }
  return db.transaction(async (tx) => {
    const current = await lockRefund(tx, refund.id);
    if (current?.status !== "processing") return current ?? refund;
    if (!outcome.ok) {
      return updateRefund(tx, current, {
        set: { lastError: outcome.error, attempts: current.attempts + 1 },
      });
    }
    const { currency, toGateway } = current;
    const payable = await platformAccount(tx, "refunds_payable", currency);
    const clearing = await platformAccount(tx, "gateway_clearing", currency);
    await postTransaction(tx, {
      reference: { kind: "refund", id: current.id, purpose: "gateway" },
      memo: `refund sent through the gateway: ${outcome.reference}`,
      lines: [
        { accountId: payable.id, currency, amount: -toGateway },
        { accountId: clearing.id, currency, amount: toGateway },
      ],
    });
    return updateRefund(tx, current, {
      events: ["complete"],
      set: {
        gatewayReference: outcome.reference,
        lastError: null,
        attempts: current.attempts + 1,
        completedAt: now,
      },
    });
  });
}

/**
 * The sweep's step: approved refunds whose gateway part has not gone through (the provider
 * failed, or the process stopped before sending) are sent again on a backoff
 * (refundRules.gatewayRefundDue). Returns how many completed.
 */
export async function retryGatewayRefunds(
  db: Database,
  now = new Date(),
  gateways: GatewayLookup = enabledGateway,
  batch = 100,
): Promise<number> {
  const waiting = await db
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.status, "processing"),
        gt(refunds.toGateway, 0),
        lt(refunds.attempts, MAX_GATEWAY_REFUND_ATTEMPTS),
      ),
    )
    .orderBy(asc(refunds.decidedAt))
    .limit(batch);
  let completed = 0;
  for (const refund of waiting) {
    if (!gatewayRefundDue(refund, now)) continue;
    try {
      const after = await sendGatewayRefund(db, refund.id, now, gateways);
      if (after.status === "succeeded") completed += 1;
    } catch (error) {
      // Changed by someone else meanwhile: the next sweep looks again.
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return completed;
}
