import Stripe from "stripe";
import type { GatewayProvider, WebhookVerdict } from "./gateway";

/**
 * Stripe behind the same interface: Checkout Sessions for the hosted page, webhooks verified
 * with `stripe.webhooks.constructEvent`, refunds through the API with our refund id as the
 * idempotency key. Offered when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set.
 */
export function stripeGateway(options: {
  secretKey: string;
  webhookSecret: string;
  /** Tests point the client at a local stand-in of the API. */
  api?: { host: string; port: number; protocol: "http" | "https" };
}): GatewayProvider {
  const stripe = new Stripe(options.secretKey, { maxNetworkRetries: 2, ...options.api });
  return {
    name: "stripe",
    async createCheckout(request) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          client_reference_id: request.paymentId,
          metadata: { paymentId: request.paymentId },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                unit_amount: request.amount,
                product_data: { name: request.description },
              },
            },
          ],
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        // A retried create returns the same session instead of a second one.
        { idempotencyKey: `checkout-${request.paymentId}` },
      );
      if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
      return { reference: session.id, redirectUrl: session.url };
    },
    verifyWebhook(rawBody, headers): WebhookVerdict {
      const signature = headers.get("stripe-signature");
      if (!signature) return { ok: false, reason: "missing signature header" };
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret);
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : "bad signature" };
      }
      if (
        event.type !== "checkout.session.completed" &&
        event.type !== "checkout.session.async_payment_succeeded" &&
        event.type !== "checkout.session.async_payment_failed" &&
        event.type !== "checkout.session.expired"
      ) {
        return { ok: true, event: { kind: "ignored", type: event.type } };
      }
      const session = event.data.object;
      const paymentId = session.client_reference_id ?? session.metadata?.paymentId ?? "";
      const transactionId =
        typeof session.payment_intent === "string"
          ? session.payment_intent
          : (session.payment_intent?.id ?? session.id);
      if (!/^\d{1,19}$/.test(paymentId))
        return { ok: false, reason: "no payment id on the session" };
      const paid =
        event.type === "checkout.session.async_payment_succeeded" ||
        (event.type === "checkout.session.completed" && session.payment_status === "paid");
      if (paid) {
        return {
          ok: true,
          event: {
            kind: "succeeded",
            paymentId,
            transactionId,
            amount: session.amount_total ?? -1,
            currency: (session.currency ?? "").toUpperCase(),
          },
        };
      }
      if (event.type === "checkout.session.completed") {
        // Completed but not yet paid (a delayed method): the async event will follow.
        return {
          ok: true,
          event: { kind: "ignored", type: `${event.type} (${session.payment_status})` },
        };
      }
      return {
        ok: true,
        event: {
          kind: "failed",
          paymentId,
          transactionId,
          reason: event.type === "checkout.session.expired" ? "checkout expired" : "payment failed",
        },
      };
    },
    async refund(request) {
      const refund = await stripe.refunds.create(
        { payment_intent: request.transactionId, amount: request.amount },
        { idempotencyKey: `refund-${request.refundId}` },
      );
      return { reference: refund.id };
    },
  };
}
