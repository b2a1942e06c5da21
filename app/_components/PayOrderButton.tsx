"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";
import { formatMoney } from "./format";

type Method = "wallet" | "mixed" | "gateway";

/**
 * One key per visit to the order page (and method): a double click or a retry after a
 * network error starts the same payment; a new visit (for example after a declined payment)
 * starts anew.
 */
function newAttemptKey(orderId: string): string {
  const suffix = Math.random().toString(36).slice(2, 10).padEnd(8, "0");
  return `order-${orderId}-${suffix}`;
}

/**
 * Pays one unpaid order, offering what the wallet allows: "Pay from wallet" when it covers the
 * order (done at once, no redirect), "Wallet + card" when it covers part (the rest at the
 * gateway), and "Pay by card" always (the gateway's hosted page). The server's message is
 * shown if it refuses.
 */
export function PayOrderButton(props: { orderId: string; amount: number; currency: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [attemptKey] = useState(() => newAttemptKey(props.orderId));
  const [problem, setProblem] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const wallet = useQuery(trpc.wallet.summary.queryOptions());
  const balance = wallet.data?.balances.find((b) => b.currency === props.currency)?.balance ?? 0;
  const start = useMutation(
    trpc.payments.start.mutationOptions({
      onSuccess: async (result) => {
        if (result.redirectUrl) {
          setLeaving(true);
          window.location.assign(result.redirectUrl);
        } else if (result.status === "succeeded") {
          // Paid from the wallet in the same request: show the order as it is now.
          await Promise.all([
            queryClient.invalidateQueries(trpc.trade.pathFilter()),
            queryClient.invalidateQueries(trpc.wallet.pathFilter()),
          ]);
        } else {
          setProblem(`This payment is ${result.status}; reload the page to try again.`);
        }
      },
      onError: (error) => setProblem(error.message),
    }),
  );
  const busy = start.isPending || leaving;
  const pay = (method: Method) => {
    setProblem(null);
    start.mutate({
      idempotencyKey: `${attemptKey}-${method}`,
      orderIds: [props.orderId],
      method,
    });
  };
  const money = (minor: number) => formatMoney(minor, props.currency);

  return (
    <div className="pay-order">
      <div className="pay-order-choices">
        {balance >= props.amount && props.amount > 0 && (
          <button
            type="button"
            className="button"
            data-testid="pay-wallet"
            disabled={busy}
            onClick={() => pay("wallet")}
          >
            Pay {money(props.amount)} from wallet
          </button>
        )}
        {balance > 0 && balance < props.amount && (
          <button
            type="button"
            className="button"
            data-testid="pay-mixed"
            disabled={busy}
            onClick={() => pay("mixed")}
          >
            Wallet {money(balance)} + card {money(props.amount - balance)}
          </button>
        )}
        <button
          type="button"
          className={balance >= props.amount && props.amount > 0 ? "button secondary" : "button"}
          data-testid="pay-order"
          disabled={busy}
          onClick={() => pay("gateway")}
        >
          {busy ? "Opening payment…" : `Pay ${money(props.amount)} by card`}
        </button>
      </div>
      {balance > 0 && (
        <p className="muted small" data-testid="pay-wallet-balance">
          Your wallet holds {money(balance)}.
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
