import { z } from "zod";
import { derivedSecret } from "../auth/secret";
import { env } from "../config/env";
import { signCallback, verifyCallback } from "./callbackSignature";
import type { GatewayProvider, WebhookVerdict } from "./gateway";

export const SANDBOX_SIGNATURE_HEADER = "x-sandbox-signature";

/** The secret both sides of the sandbox share: configured, or derived from the auth secret. */
export function sandboxSecret(): string {
  const configured = env().SANDBOX_WEBHOOK_SECRET;
  if (configured) return configured;
  const derived = derivedSecret("halfhour sandbox gateway");
  if (!derived) {
    throw new Error("Set SANDBOX_WEBHOOK_SECRET or AUTH_SECRET to use the sandbox gateway");
  }
  return derived;
}

/** The body the sandbox posts to our webhook. */
export const sandboxCallbackBody = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("payment.succeeded"),
    paymentId: z.string().regex(/^\d{1,19}$/),
    transactionId: z.string().regex(/^sbx_tx_[A-Za-z0-9_-]{1,64}$/),
    amount: z.number().int().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  z.object({
    type: z.literal("payment.failed"),
    paymentId: z.string().regex(/^\d{1,19}$/),
    transactionId: z.string().regex(/^sbx_tx_[A-Za-z0-9_-]{1,64}$/),
    reason: z.string().max(200),
  }),
]);
export type SandboxCallbackBody = z.infer<typeof sandboxCallbackBody>;

/** Signs a callback body the way the sandbox delivers it. */
export function signSandboxCallback(body: SandboxCallbackBody, at: Date, secret = sandboxSecret()) {
  const raw = JSON.stringify(body);
  return { raw, signature: signCallback(secret, raw, at) };
}

/**
 * The gateway that ships with the app and is the default: its hosted page lives on our own
 * site (/sandbox/pay/<payment id>), where the payer chooses Pay or Decline; it then calls our
 * webhook over HTTP with an HMAC-signed body, like a real gateway. Refunds are simulated.
 */
export function sandboxGateway(secret: () => string = sandboxSecret): GatewayProvider {
  return {
    name: "sandbox",
    async createCheckout(request) {
      return {
        reference: `sbx_cs_${request.paymentId}`,
        redirectUrl: `/sandbox/pay/${request.paymentId}`,
      };
    },
    verifyWebhook(rawBody, headers, now): WebhookVerdict {
      const check = verifyCallback(secret(), rawBody, headers.get(SANDBOX_SIGNATURE_HEADER), now);
      if (!check.ok) return check;
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        return { ok: false, reason: "body is not JSON" };
      }
      const parsed = sandboxCallbackBody.safeParse(json);
      if (!parsed.success) return { ok: false, reason: "body is not a sandbox callback" };
      const body = parsed.data;
      return body.type === "payment.succeeded"
        ? {
            ok: true,
            event: {
              kind: "succeeded",
              paymentId: body.paymentId,
              transactionId: body.transactionId,
              amount: body.amount,
              currency: body.currency,
            },
          }
        : {
            ok: true,
            event: {
              kind: "failed",
              paymentId: body.paymentId,
              transactionId: body.transactionId,
              reason: body.reason,
            },
          };
    },
    async refund(request) {
      return { reference: `sbx_re_${request.refundId}` };
    },
  };
}
