import { after } from "next/server";
import { getDb } from "@/db/client";
import { currentSession } from "@/server/auth";
import { afterSandboxPath, sandboxCheckoutOf } from "@/server/payment/sandboxCheckout";
import { deliverSandboxSteps, newSandboxTransactionId } from "@/server/payment/sandboxDelivery";
import {
  isSandboxDeliveryOption,
  type SandboxDeliveryOption,
  sandboxDeliverySteps,
} from "@/server/payment/sandboxDeliveryOptions";
import { appOriginOf, crossSiteRefusal, isCrossSiteRequest } from "@/server/security/sameOrigin";

export const dynamic = "force-dynamic";

const problem = (status: number, message: string) =>
  new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/**
 * The payer's decision on the sandbox's hosted page (form fields decision=pay|decline and
 * delivery=default|late|out_of_order, see sandboxDeliveryOptions): the sandbox then calls our
 * webhook over HTTP, signed, as a gateway would (twice at once), waits for it, and sends the
 * payer back to the order or the wallet. A late delivery is sent after the answer (`after`).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (isCrossSiteRequest(request.headers, appOriginOf(request))) return crossSiteRefusal();
  const { id } = await params;
  let decision: FormDataEntryValue | null;
  let delivery: FormDataEntryValue | null;
  try {
    const form = await request.formData();
    decision = form.get("decision");
    delivery = form.get("delivery");
  } catch {
    return problem(400, 'Expected a form with decision "pay" or "decline"');
  }
  if (decision !== "pay" && decision !== "decline") {
    return problem(400, 'Expected decision "pay" or "decline"');
  }
  const chosen = delivery ?? "default";
  if (!isSandboxDeliveryOption(chosen)) {
    return problem(400, 'Expected delivery "default", "late" or "out_of_order"');
  }
  const option: SandboxDeliveryOption = chosen;
  const session = await currentSession();
  if (!session) return problem(401, "Sign in as the payer to decide on this payment");
  const checkout = await sandboxCheckoutOf(getDb(), session.user.id, id);
  if (!checkout) return problem(404, "No such payment");
  if (checkout.payment.status !== "pending") {
    return problem(409, `This payment is ${checkout.payment.status}; there is nothing to decide`);
  }
  const steps = sandboxDeliverySteps(checkout.payment, decision, option, newSandboxTransactionId);
  const webhookUrl = `${appOriginOf(request)}/api/payments/sandbox/webhook`;
  if (option === "late") after(() => deliverSandboxSteps(webhookUrl, steps));
  else await deliverSandboxSteps(webhookUrl, steps);
  return new Response(null, {
    status: 303,
    headers: { location: afterSandboxPath(checkout.payment), "cache-control": "no-store" },
  });
}
