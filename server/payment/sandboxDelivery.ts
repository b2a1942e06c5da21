import { randomBytes } from "node:crypto";
import {
  SANDBOX_SIGNATURE_HEADER,
  type SandboxCallbackBody,
  signSandboxCallback,
} from "./sandboxGateway";

export interface DeliveryPlan {
  /** How many times the same callback is sent, all at once (seed 000: gateways call twice). */
  copies: number;
  /** Wait this long before sending (a late callback, e.g. after the hold expired). */
  delayMs: number;
}

export const DEFAULT_DELIVERY: DeliveryPlan = { copies: 2, delayMs: 0 };

/** A new sandbox transaction id, as a gateway would assign one per attempt. */
export const newSandboxTransactionId = () => `sbx_tx_${randomBytes(12).toString("base64url")}`;

/**
 * The sandbox gateway calling our webhook: a real HTTP client, like a real gateway. Each copy
 * is signed at sending time and posted concurrently; the answers are returned in order. A
 * copy that cannot connect counts as status 0 (a real gateway would retry later).
 */
export async function deliverSandboxCallback(
  webhookUrl: string,
  body: SandboxCallbackBody,
  plan: DeliveryPlan = DEFAULT_DELIVERY,
  secret?: string,
): Promise<number[]> {
  if (plan.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
  const signed = signSandboxCallback(body, new Date(), secret);
  return Promise.all(
    Array.from({ length: plan.copies }, async () => {
      try {
        const res = await fetch(webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [SANDBOX_SIGNATURE_HEADER]: signed.signature,
          },
          body: signed.raw,
        });
        await res.arrayBuffer();
        return res.status;
      } catch {
        return 0;
      }
    }),
  );
}

/** Sends each step's callback in turn (the next starts when the previous was answered). */
export async function deliverSandboxSteps(
  webhookUrl: string,
  steps: readonly { body: SandboxCallbackBody; plan: DeliveryPlan }[],
  secret?: string,
): Promise<number[][]> {
  const answers: number[][] = [];
  for (const step of steps) {
    answers.push(await deliverSandboxCallback(webhookUrl, step.body, step.plan, secret));
  }
  return answers;
}
