"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { formatMoney } from "./format";
import { formatHours } from "./orderWords";
import { describeRefund } from "./refundWords";
import { useOrderRefunds } from "./useOrderRefunds";

/**
 * A teacher's refund of their student's unused hours: done at once (no admin review), to the
 * way the student paid, and the student reads the reason. The latest refund's outcome shows.
 */
export function TeacherOrderRefund(props: { orderId: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const { trpc, refunds, refresh } = useOrderRefunds(props.orderId);
  const refund = useMutation(
    trpc.refunds.refundOrder.mutationOptions({
      onSettled: refresh,
      onSuccess: () => setOpen(false),
    }),
  );
  if (!refunds.data) return null;
  const { quote } = refunds.data;
  const latest = refunds.data.refunds[0];
  const offer =
    quote && quote.slots > 0 && quote.hasPayment && (!latest || latest.status === "declined");
  if (!latest && !offer) return null;

  return (
    <section className="card" aria-labelledby="order-refund" data-testid="teacher-order-refund">
      <h2 id="order-refund">Refund</h2>
      {latest && (
        <p data-testid="refund-status" data-status={latest.status}>
          {describeRefund(latest, "teacher")}
        </p>
      )}
      {offer && quote.bookedLessons > 0 && (
        <p className="muted small">
          Cancel the {quote.bookedLessons} booked {quote.bookedLessons === 1 ? "lesson" : "lessons"}{" "}
          of this order before refunding its unused hours.
        </p>
      )}
      {offer && quote.bookedLessons === 0 && !open && (
        <button
          type="button"
          className="button small secondary"
          data-testid="refund-unused-hours"
          onClick={() => setOpen(true)}
        >
          Refund unused hours
        </button>
      )}
      {offer && quote.bookedLessons === 0 && open && (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            refund.mutate({ orderId: props.orderId, reason });
          }}
        >
          <p>
            Refund {formatHours(quote.slots)} ({formatMoney(quote.amount, quote.currency)}) to the
            student now? The order ends; the money goes back the way the student paid.
          </p>
          <label>
            Reason, shown to the student
            <textarea
              required
              minLength={3}
              maxLength={500}
              rows={2}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <p className="row">
            <button
              type="submit"
              className="button small danger"
              data-testid="confirm-teacher-refund"
              disabled={refund.isPending}
            >
              {refund.isPending ? "Refunding…" : "Refund now"}
            </button>
            <button
              type="button"
              className="link-button"
              disabled={refund.isPending}
              onClick={() => setOpen(false)}
            >
              Cancel
            </button>
          </p>
        </form>
      )}
      {refund.error && (
        <p className="error" role="alert">
          {refund.error.message}
        </p>
      )}
    </section>
  );
}
