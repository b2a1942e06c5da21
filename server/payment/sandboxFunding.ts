import type { Database } from "../../db/client";
import { payments } from "../../db/schema";
import { newId } from "../ids/snowflake";
import type { PaymentRow } from "./paymentRecords";
import { receiveWebhook } from "./receiveWebhook";
import { newSandboxTransactionId } from "./sandboxDelivery";
import { SANDBOX_SIGNATURE_HEADER, signSandboxCallback } from "./sandboxGateway";

/**
 * A wallet top-up paid through the sandbox gateway, end to end except the HTTP hop: the
 * top-up payment, then its signed success callback through the webhook's own entry point
 * (stored, verified, applied once). For the demo seed and the tests, which need students
 * with money whose every cent has a payment and a gateway callback behind it, so
 * reconciliation finds nothing to complain about.
 */
export async function fundWalletThroughSandbox(
  db: Database,
  payerId: string,
  amount: number,
  currency: string,
  now = new Date(),
  paymentId: string = newId(),
): Promise<PaymentRow> {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError(`bad top-up ${amount}`);
  const [payment] = await db
    .insert(payments)
    .values({
      id: paymentId,
      payerId,
      purpose: "top_up",
      currency,
      itemsTotal: amount,
      amount,
      fromWallet: 0,
      fromGateway: amount,
      method: "gateway",
      status: "pending",
      gateway: "sandbox",
      gatewayReference: `sbx_cs_${paymentId}`,
      idempotencyKey: `sandbox-funding-${paymentId}`,
      expiresAt: new Date(now.getTime() + 3_600_000),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const signed = signSandboxCallback(
    {
      type: "payment.succeeded",
      paymentId: payment!.id,
      transactionId: newSandboxTransactionId(),
      amount,
      currency,
    },
    now,
  );
  const answer = await receiveWebhook(
    db,
    "sandbox",
    signed.raw,
    new Headers({ [SANDBOX_SIGNATURE_HEADER]: signed.signature }),
    now,
  );
  if (answer.outcome !== "applied") {
    throw new Error(`sandbox top-up ${payment!.id} was not applied (${answer.outcome})`);
  }
  return payment!;
}
