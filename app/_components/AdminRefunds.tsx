"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";
import { useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";
import { DecisionButtons } from "./DecisionButtons";
import { formatMoney } from "./format";
import { formatHours } from "./orderWords";
import { REFUND_STATUS_WORDS, refundDestination } from "./refundWords";

type AdminRefund = inferRouterOutputs<AppRouter>["refunds"]["pending"]["pending"][number];

const dateText = (at: Date | null) =>
  at
    ? new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(at)
    : "—";

/**
 * /admin/refunds: students' requests waiting for a decision (oldest first), each approved or
 * declined with a reason, and the recent decisions — a refund whose card part keeps failing
 * shows the gateway's error here.
 */
export function AdminRefunds() {
  const trpc = useTRPC();
  const list = useQuery(trpc.refunds.pending.queryOptions());
  if (list.isError) {
    return (
      <AreaNotice
        error={list.error}
        audience="admin"
        path="/admin/refunds"
        purpose="decide refund requests"
        forbidden="Refund requests are decided by administrators."
      />
    );
  }
  if (list.isPending) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  return (
    <>
      <section aria-labelledby="refunds-pending">
        <h2 id="refunds-pending">Waiting for a decision</h2>
        {list.data.pending.length === 0 ? (
          <p className="muted" data-testid="refunds-pending-empty">
            No refund requests are waiting.
          </p>
        ) : (
          <div data-testid="refunds-pending">
            {list.data.pending.map((r) => (
              <PendingRefund key={r.id} refund={r} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="refunds-recent">
        <h2 id="refunds-recent">Recent decisions</h2>
        {list.data.recent.length === 0 ? (
          <p className="muted">No refunds decided yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="orders-table" data-testid="refunds-recent">
              <caption className="sr-only">Refunds decided, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Order</th>
                  <th scope="col">Refund</th>
                  <th scope="col">Status</th>
                  <th scope="col">Decided</th>
                </tr>
              </thead>
              <tbody>
                {list.data.recent.map((r) => (
                  <tr key={r.id} data-refund-id={r.id} data-status={r.status}>
                    <th scope="row">{r.studentName}</th>
                    <td>
                      {r.courseTitle} with {r.teacherName}
                    </td>
                    <td>
                      {formatMoney(r.amount, r.currency)} for {formatHours(r.slots)}
                      {r.status !== "declined" && (
                        <span className="muted small">
                          {" "}
                          · {refundDestination(r, "the student's")}
                        </span>
                      )}
                    </td>
                    <td>
                      {REFUND_STATUS_WORDS[r.status]}
                      {r.status === "declined" && r.declineReason && (
                        <span className="muted small"> · {r.declineReason}</span>
                      )}
                      {r.status === "processing" && r.lastError && (
                        <span className="error small">
                          {" "}
                          · card refund failed {r.attempts}×: {r.lastError}
                        </span>
                      )}
                    </td>
                    <td>{dateText(r.decidedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function PendingRefund({ refund: r }: { refund: AdminRefund }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.refunds.pathFilter());
  const approve = useMutation(trpc.refunds.approve.mutationOptions({ onSettled: refresh }));
  const decline = useMutation(trpc.refunds.decline.mutationOptions({ onSettled: refresh }));
  const error = approve.error ?? decline.error;

  return (
    <article className="card" data-testid="refund-request" data-refund-id={r.id}>
      <p>
        <strong>{r.studentName}</strong> <span className="muted small">{r.studentEmail}</span> asks
        for {formatMoney(r.amount, r.currency)} for {formatHours(r.slots)} unused of{" "}
        {formatHours(r.slotsBought)} ({formatHours(r.slotsUsed)} used) — {r.courseTitle} with{" "}
        {r.teacherName}.
      </p>
      <p className="muted small">
        Asked {dateText(r.createdAt)} · order {r.orderId}
        {r.reason && <> · “{r.reason}”</>}
      </p>
      <DecisionButtons
        approve={{
          label: `Approve ${formatMoney(r.amount, r.currency)}`,
          pendingLabel: "Approving…",
          pending: approve.isPending,
          run: () => approve.mutate({ refundId: r.id }),
        }}
        refuse={{
          verb: "Decline",
          submitLabel: "Decline the refund",
          pendingLabel: "Declining…",
          reasonLabel: "Why it is declined (the student reads this)",
          reasonMin: 3,
          reasonMax: 500,
          pending: decline.isPending,
          run: (reason) => decline.mutate({ refundId: r.id, reason }),
        }}
      />
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
    </article>
  );
}
