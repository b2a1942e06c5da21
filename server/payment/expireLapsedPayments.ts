import { and, asc, inArray, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { payments } from "../../db/schema";
import { lockPayment, updatePayment } from "./paymentRecords";

/**
 * Gateways confirm late: a payment is expired only this long after its checkout closed, so a
 * success that was merely slow usually still finds it open. (A later one is applied anyway.)
 */
export const PAYMENT_EXPIRY_GRACE_MS = 10 * 60_000;

/**
 * A sweep step: `created`/`pending` payments whose checkout closed (expires_at) more than the
 * grace ago become `expired`. No money moved for them, so nothing else changes; a success
 * that still arrives is applied (applyGatewayEvent). Each payment is its own transaction and
 * re-checked under its row lock, so concurrent sweeps and callbacks are safe.
 */
export async function expireLapsedPayments(
  db: Database,
  now = new Date(),
  batch = 500,
): Promise<number> {
  const cutoff = new Date(now.getTime() - PAYMENT_EXPIRY_GRACE_MS);
  const lapsed = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(inArray(payments.status, ["created", "pending"]), lte(payments.expiresAt, cutoff)))
    .orderBy(asc(payments.expiresAt))
    .limit(batch);
  let expired = 0;
  for (const { id } of lapsed) {
    const done = await db.transaction(async (tx) => {
      const payment = await lockPayment(tx, id);
      if (!payment || (payment.status !== "created" && payment.status !== "pending")) return false;
      if (!payment.expiresAt || payment.expiresAt.getTime() > cutoff.getTime()) return false;
      await updatePayment(tx, payment, { events: ["expire"] });
      return true;
    });
    if (done) expired += 1;
  }
  return expired;
}
