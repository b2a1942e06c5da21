import type { SandboxCheckout } from "./sandboxCheckout";
import { sandboxDecisionBody } from "./sandboxCheckout";
import { DEFAULT_DELIVERY, type DeliveryPlan } from "./sandboxDelivery";
import type { SandboxCallbackBody } from "./sandboxGateway";

/**
 * How the sandbox delivers the payer's decision (issue 6: "by default twice, concurrently,
 * and optionally late or out of order"), chosen on its hosted page:
 * - `default`: the callback twice at once;
 * - `late`: the same, LATE_DELIVERY_SECONDS later (after the payer is back; e.g. after a hold
 *   or the checkout expired);
 * - `out_of_order`: for Pay, the success first, then the failure of an abandoned first attempt
 *   (another transaction id) — a failure arriving after the success must change nothing.
 */
export const SANDBOX_DELIVERY_OPTIONS = ["default", "late", "out_of_order"] as const;
export type SandboxDeliveryOption = (typeof SANDBOX_DELIVERY_OPTIONS)[number];

export const LATE_DELIVERY_SECONDS = 20;

/** Why the sandbox says the abandoned first attempt failed. */
export const ABANDONED_ATTEMPT_REASON = "first attempt abandoned";

export interface DeliveryStep {
  body: SandboxCallbackBody;
  plan: DeliveryPlan;
}

export const isSandboxDeliveryOption = (value: unknown): value is SandboxDeliveryOption =>
  (SANDBOX_DELIVERY_OPTIONS as readonly unknown[]).includes(value);

/** The callbacks to send, in this order, each finished before the next starts. */
export function sandboxDeliverySteps(
  payment: SandboxCheckout["payment"],
  decision: "pay" | "decline",
  option: SandboxDeliveryOption,
  newTransactionId: () => string,
): DeliveryStep[] {
  const decided = sandboxDecisionBody(payment, decision, newTransactionId());
  if (option === "late") {
    return [
      { body: decided, plan: { ...DEFAULT_DELIVERY, delayMs: LATE_DELIVERY_SECONDS * 1000 } },
    ];
  }
  if (option === "out_of_order" && decision === "pay") {
    return [
      { body: decided, plan: DEFAULT_DELIVERY },
      {
        body: {
          type: "payment.failed",
          paymentId: payment.id,
          transactionId: newTransactionId(),
          reason: ABANDONED_ATTEMPT_REASON,
        },
        plan: { copies: 1, delayMs: 0 },
      },
    ];
  }
  return [{ body: decided, plan: DEFAULT_DELIVERY }];
}
