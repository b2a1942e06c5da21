"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";
import { formatMoney } from "./format";

/**
 * One key per visit to the order page: a double click or a retry after a network error
 * starts the same payment; a new visit (for example after a declined payment) starts anew.
 */
function newAttemptKey(orderId: string): string {
  const suffix = Math.random().toString(36).slice(2, 10).padEnd(8, "0");
  return `order-${orderId}-${suffix}`;
}

/**
 * Pays one unpaid order through the payment gateway: starts (or resumes) the payment, then
 * sends the browser to the gateway's hosted page. The server's message is shown if it refuses.
 */
export function PayOrderButton(props: { orderId: string; amount: number; currency: string }) {
  const trpc = useTRPC();
  const [idempotencyKey] = useState(() => newAttemptKey(props.orderId));
  const [problem, setProblem] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const start = useMutation(
    trpc.payments.start.mutationOptions({
      onSuccess: (result) => {
        if (result.redirectUrl) {
          setLeaving(true);
          window.location.assign(result.redirectUrl);
        } else {
          setProblem(`This payment is ${result.status}; reload the page to try again.`);
        }
      },
      onError: (error) => setProblem(error.message),
    }),
  );
  const busy = start.isPending || leaving;

  return (
    <div className="pay-order">
      <button
        type="button"
        className="button"
        data-testid="pay-order"
        disabled={busy}
        onClick={() => {
          setProblem(null);
          start.mutate({ idempotencyKey, orderIds: [props.orderId], method: "gateway" });
        }}
      >
        {busy ? "Opening payment…" : `Pay ${formatMoney(props.amount, props.currency)}`}
      </button>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
