import { inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { orders } from "../../db/schema";
import { DomainError } from "../domainError";
import { returnPathOf } from "./openCheckout";
import { getPayment } from "./paymentViews";
import type { SandboxCallbackBody } from "./sandboxGateway";

/** Why the sandbox reports a payment failed when its payer clicks Decline. */
export const SANDBOX_DECLINE_REASON = "declined by the payer";

/**
 * What the sandbox's hosted page shows: one of the payer's payments and the orders it pays
 * (their snapshot titles). Null when there is no such payment of this payer.
 */
export async function sandboxCheckoutOf(db: Executor, payerId: string, paymentId: string) {
  let payment: Awaited<ReturnType<typeof getPayment>>;
  try {
    payment = await getPayment(db, payerId, paymentId);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") return null;
    throw error;
  }
  const orderIds = payment.items.map((i) => i.orderId);
  const rows = orderIds.length
    ? await db
        .select({
          id: orders.id,
          courseTitle: orders.courseTitle,
          teacherName: orders.teacherName,
        })
        .from(orders)
        .where(inArray(orders.id, orderIds))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    payment,
    lines: payment.items.map((item) => ({
      orderId: item.orderId,
      amount: item.amount,
      courseTitle: byId.get(item.orderId)?.courseTitle ?? "Order",
      teacherName: byId.get(item.orderId)?.teacherName ?? null,
    })),
  };
}

export type SandboxCheckout = NonNullable<Awaited<ReturnType<typeof sandboxCheckoutOf>>>;

/** The callback the sandbox sends for the payer's decision on a pending payment. */
export function sandboxDecisionBody(
  payment: SandboxCheckout["payment"],
  decision: "pay" | "decline",
  transactionId: string,
): SandboxCallbackBody {
  return decision === "pay"
    ? {
        type: "payment.succeeded",
        paymentId: payment.id,
        transactionId,
        amount: payment.fromGateway,
        currency: payment.currency,
      }
    : {
        type: "payment.failed",
        paymentId: payment.id,
        transactionId,
        reason: SANDBOX_DECLINE_REASON,
      };
}

/** Where the payer goes after deciding: the (first) order it paid, or their wallet for a top-up. */
export function afterSandboxPath(payment: SandboxCheckout["payment"]): string {
  if (payment.purpose === "top_up") return returnPathOf(payment);
  const first = payment.items[0]?.orderId;
  return first ? `/me/orders/${first}` : returnPathOf(payment);
}
