"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { formatMoney } from "./format";
import { formatHours } from "./orderWords";
import { describeRefund } from "./refundWords";
import { useOrderRefunds } from "./useOrderRefunds";

/**
 * The refund part of a student's order page: the latest refund's outcome, and — while the
 * order is paid or in use — a request for the unused hours, confirmed by a second click.
 * Within the cooling-off period an untouched order is refunded at once; otherwise Halfhour
 * support decides.
 */
export function OrderRefund(props: { orderId: string }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const { trpc, refunds, refresh } = useOrderRefunds(props.orderId);
  const request = useMutation(
    trpc.refunds.request.mutationOptions({
      onSettled: refresh,
      onSuccess: () => setConfirming(false),
    }),
  );
  if (!refunds.data) return null;
  const { quote } = refunds.data;
  const latest = refunds.data.refunds[0];
  if (!latest && !quote) return null;
  const offer = quote && quote.slots > 0 && (!latest || latest.status === "declined");
  const label = quote
    ? `Request a refund of ${quote.slots / 2} unused ${quote.slots === 2 ? "hour" : "hours"} (${formatMoney(quote.amount, quote.currency)})`
    : "";

  return (
    <section
      className="card order-refund"
      aria-labelledby="order-refund"
      data-testid="order-refund"
    >
      <h3 id="order-refund">Refund</h3>
      {latest && (
        <p data-testid="refund-status" data-status={latest.status}>
          {describeRefund(latest, "student")}
        </p>
      )}
      {offer && quote.bookedLessons > 0 && (
        <p className="muted small">
          To get the unused hours refunded, cancel your {quote.bookedLessons} booked{" "}
          {quote.bookedLessons === 1 ? "lesson" : "lessons"} first.
        </p>
      )}
      {offer && quote.bookedLessons === 0 && quote.hasPayment && !confirming && (
        <button
          type="button"
          className="button small secondary"
          data-testid="request-refund"
          onClick={() => setConfirming(true)}
        >
          {label}
        </button>
      )}
      {offer && quote.bookedLessons === 0 && quote.hasPayment && confirming && (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            request.mutate({ orderId: props.orderId, reason: reason.trim() || undefined });
          }}
        >
          <p>
            Refund {formatHours(quote.slots)} ({formatMoney(quote.amount, quote.currency)}) to the
            way you paid? The order then ends and its hours can no longer be booked.{" "}
            {quote.approvedAtOnce
              ? "You paid recently and used none of it, so it is refunded at once."
              : "Halfhour support reviews the request first."}
          </p>
          <label>
            Why (optional)
            <textarea
              value={reason}
              maxLength={500}
              rows={2}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <p className="row">
            <button
              type="submit"
              className="button small danger"
              data-testid="confirm-refund"
              disabled={request.isPending}
            >
              {request.isPending ? "Requesting…" : "Yes, request the refund"}
            </button>
            <button
              type="button"
              className="link-button"
              disabled={request.isPending}
              onClick={() => setConfirming(false)}
            >
              Keep my hours
            </button>
          </p>
        </form>
      )}
      {request.error && (
        <p className="error" role="alert">
          {request.error.message}
        </p>
      )}
    </section>
  );
}
