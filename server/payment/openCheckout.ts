import type { Database } from "../../db/client";
import type { GatewayProvider } from "./gateway";
import { lockPayment, type PaymentRow, updatePayment } from "./paymentRecords";

/** Where the payer lands after the gateway: their orders, or their wallet after a top-up. */
export const returnPathOf = (payment: Pick<PaymentRow, "purpose">) =>
  payment.purpose === "top_up" ? "/me/wallet" : "/me/orders";

/**
 * Creates the hosted checkout for a `created` payment and moves it to `pending`. Called after
 * the payment's insert committed (no network call inside a transaction); a concurrent
 * resubmission or an early callback may have moved the payment on, which is kept.
 */
export async function openCheckout(
  db: Database,
  payment: PaymentRow,
  appUrl: string,
  gateway: GatewayProvider,
): Promise<PaymentRow> {
  const returnUrl = `${appUrl}${returnPathOf(payment)}`;
  const checkout = await gateway.createCheckout({
    paymentId: payment.id,
    amount: payment.fromGateway,
    currency: payment.currency,
    description:
      payment.purpose === "top_up"
        ? `Halfhour wallet top-up ${payment.id}`
        : `Halfhour payment ${payment.id}`,
    successUrl: returnUrl,
    cancelUrl: returnUrl,
  });
  return db.transaction(async (tx) => {
    const current = await lockPayment(tx, payment.id);
    if (!current) throw new Error(`payment ${payment.id} vanished`);
    // A concurrent resubmission got there first, or the callback already arrived.
    if (current.status !== "created") return current;
    return updatePayment(tx, current, {
      events: ["submit"],
      set: { gatewayReference: checkout.reference, checkoutUrl: checkout.redirectUrl },
    });
  });
}
