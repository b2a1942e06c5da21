"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";

type Run = inferRouterOutputs<AppRouter>["reconciliation"]["recent"][number];

const when = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" }).format(at);

const TRIGGER: Record<Run["trigger"], string> = {
  admin: "by an admin",
  command: "npm run reconcile",
  schedule: "scheduled",
};

function RunDetails(props: { run: Run }) {
  const { run } = props;
  return (
    <section className="card" data-testid="reconciliation-run" aria-labelledby={`run-${run.id}`}>
      <h2 id={`run-${run.id}`}>
        Run #{run.id}, {when(run.startedAt)} ({TRIGGER[run.trigger]}):{" "}
        {run.mismatchCount === 0 ? (
          <span className="success" data-testid="reconciliation-verdict">
            no mismatches
          </span>
        ) : (
          <span className="error" data-testid="reconciliation-verdict">
            {run.mismatchCount} mismatch{run.mismatchCount === 1 ? "" : "es"}
          </span>
        )}
      </h2>
      <p className="small muted">
        Checked:{" "}
        {Object.entries(run.checked)
          .map(([name, n]) => `${n} ${name}`)
          .join(", ")}
      </p>
      {run.mismatches.length > 0 && (
        <table className="tt-table">
          <caption className="sr-only">Mismatches found by run #{run.id}</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Kind</th>
              <th scope="col">Record</th>
              <th scope="col">What disagrees</th>
            </tr>
          </thead>
          <tbody>
            {run.mismatches.map((m) => (
              <tr key={`${m.check}-${m.kind}-${m.subject}`}>
                <td>{m.check}</td>
                <td>{m.kind.replaceAll("_", " ")}</td>
                <td>{m.subject}</td>
                <td>{m.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** /admin/reconciliation: run the job now and read the latest reports. */
export function ReconciliationReport() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery(trpc.reconciliation.recent.queryOptions());
  const run = useMutation(
    trpc.reconciliation.run.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.reconciliation.recent.queryKey() }),
    }),
  );
  if (runs.isError) {
    return (
      <AreaNotice
        error={runs.error}
        audience="admin"
        path="/admin/reconciliation"
        purpose="reconcile the books"
        forbidden="Reconciliation is for administrators."
      />
    );
  }
  return (
    <>
      <p>
        <button
          type="button"
          className="button"
          onClick={() => run.mutate()}
          disabled={run.isPending || runs.isPending}
        >
          {run.isPending ? "Reconciling…" : "Run reconciliation now"}
        </button>
      </p>
      {run.isError && (
        <p className="error" role="alert">
          {run.error.message}
        </p>
      )}
      {runs.isPending ? (
        <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />
      ) : runs.data.length === 0 ? (
        <p className="muted" data-testid="reconciliation-empty">
          No run yet.
        </p>
      ) : (
        runs.data.map((r) => <RunDetails key={r.id} run={r} />)
      )}
    </>
  );
}
