"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";

/**
 * Cancels an unpaid order after a second, explicit click; its held time is released at once.
 * The server's message is shown if it refuses (for example, the order was paid meanwhile).
 */
export function CancelOrderButton(props: { orderId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.trade.cancelOrder.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.trade.pathFilter()),
          queryClient.invalidateQueries(trpc.availability.pathFilter()),
          queryClient.invalidateQueries(trpc.lessons.pathFilter()),
        ]),
      onSuccess: () => setConfirming(false),
    }),
  );

  return (
    <div className="cancel-order">
      {confirming ? (
        <p className="row">
          <span>Cancel this order and release its time?</span>
          <button
            type="button"
            className="button small danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ orderId: props.orderId })}
          >
            {cancel.isPending ? "Cancelling…" : "Yes, cancel the order"}
          </button>
          <button
            type="button"
            className="link-button"
            disabled={cancel.isPending}
            onClick={() => setConfirming(false)}
          >
            Keep it
          </button>
        </p>
      ) : (
        <button
          type="button"
          className="button small secondary"
          onClick={() => setConfirming(true)}
        >
          Cancel order
        </button>
      )}
      {cancel.error && (
        <p className="error" role="alert">
          {cancel.error.message}
        </p>
      )}
    </div>
  );
}
