/**
 * The one interface every payment gateway sits behind (issue 6): payment code talks to it,
 * trade code never does. A gateway creates a hosted checkout, verifies and reads its own
 * callbacks, and refunds. Amounts are integer minor units; currencies ISO 4217 upper case.
 */
export type GatewayName = "sandbox" | "stripe";

export interface CheckoutRequest {
  /** Our payment order id: comes back in the callback. */
  paymentId: string;
  amount: number;
  currency: string;
  description: string;
  /** Absolute URLs the payer returns to. */
  successUrl: string;
  cancelUrl: string;
}

export interface HostedCheckout {
  /** The gateway's id of this checkout (Stripe: the Checkout Session id). */
  reference: string;
  /** Where to send the payer. */
  redirectUrl: string;
}

/** What a verified callback says happened to a payment. */
export type GatewayEvent =
  | {
      kind: "succeeded";
      paymentId: string;
      /** The gateway's transaction id: the key a success is applied under, at most once. */
      transactionId: string;
      amount: number;
      currency: string;
    }
  | { kind: "failed"; paymentId: string; transactionId: string; reason: string }
  /** A genuine callback about something we do not act on. */
  | { kind: "ignored"; type: string };

export type WebhookVerdict = { ok: true; event: GatewayEvent } | { ok: false; reason: string };

export interface RefundRequest {
  /** Our refund id: the idempotency key at the gateway, so a retry never refunds twice. */
  refundId: string;
  transactionId: string;
  amount: number;
  currency: string;
}

export interface GatewayProvider {
  readonly name: GatewayName;
  createCheckout(request: CheckoutRequest): Promise<HostedCheckout>;
  /** Checks the signature over the raw body and reads the event; never throws on bad input. */
  verifyWebhook(rawBody: string, headers: Headers, now: Date): WebhookVerdict;
  refund(request: RefundRequest): Promise<{ reference: string }>;
}
