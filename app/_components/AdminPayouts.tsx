"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";
import { formatMoney } from "./format";

const dayText = (at: Date) =>
  new Intl.DateTimeFormat(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(at);

/** The week a run paid: the seven days before its cut-off (Monday 00:00 UTC). */
const periodText = (periodEnd: Date) =>
  `${dayText(new Date(periodEnd.getTime() - 7 * 86_400_000))} – ${dayText(new Date(periodEnd.getTime() - 1))}`;

const csvHref = (periodEnd: Date) =>
  `/admin/payouts/${periodEnd.toISOString().slice(0, 10)}/payouts.csv`;

function Loading() {
  return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
}

/** /admin/payouts: run the weekly payouts, download each run, set teachers' commission. */
export function AdminPayouts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery(trpc.settlement.payoutRuns.queryOptions());
  const [announcement, setAnnouncement] = useState("");
  const run = useMutation(
    trpc.settlement.runPayouts.mutationOptions({
      onSuccess: async (outcome) => {
        setAnnouncement(
          outcome.payouts === 0
            ? `Nothing to pay for the weeks before ${dayText(outcome.periodEnd)}: everything earned by then has been paid out.`
            : `${outcome.payouts} payout${outcome.payouts === 1 ? "" : "s"} to ${outcome.teachers} teacher${outcome.teachers === 1 ? "" : "s"}, for earnings before ${dayText(outcome.periodEnd)}.`,
        );
        await queryClient.invalidateQueries(trpc.settlement.payoutRuns.pathFilter());
      },
    }),
  );

  if (runs.isPending) return <Loading />;
  if (runs.isError) {
    return (
      <AreaNotice
        audience="admin"
        error={runs.error}
        path="/admin/payouts"
        purpose="run payouts"
        forbidden="Payouts are for administrators."
      />
    );
  }
  return (
    <div className="earnings" data-testid="admin-payouts">
      <section aria-labelledby="payout-run">
        <h2 id="payout-run">Weekly payout run</h2>
        <p className="muted">
          Pays each teacher what they earned up to the end of last week (Sunday, UTC) and has not
          been paid yet. Running it again for the same week changes nothing. The same run is{" "}
          <code>npm run jobs:payouts</code>.
        </p>
        <button
          type="button"
          className="button"
          disabled={run.isPending}
          onClick={() => run.mutate()}
        >
          {run.isPending ? "Running…" : "Run payouts for last week"}
        </button>
        <p role="status" className="small">
          {announcement}
        </p>
        {run.isError && (
          <p className="error" role="alert">
            {run.error.message}
          </p>
        )}
      </section>

      <section aria-labelledby="payout-runs">
        <h2 id="payout-runs">Runs</h2>
        {runs.data.length === 0 ? (
          <p className="muted">No payouts yet.</p>
        ) : (
          <div className="card tt-table-wrap">
            <table className="tt-table" data-testid="payout-runs">
              <caption className="sr-only">Payout runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Week</th>
                  <th scope="col" className="num">
                    Teachers
                  </th>
                  <th scope="col" className="num">
                    Lessons
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">Export</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.map((r) => (
                  <tr key={r.periodEnd.toISOString()}>
                    <th scope="row">{periodText(r.periodEnd)}</th>
                    <td className="num">{r.teachers}</td>
                    <td className="num">{r.lessons}</td>
                    <td className="num">
                      {r.totals.map((t) => formatMoney(t.amount, t.currency)).join(" + ")}
                    </td>
                    <td>
                      <a href={csvHref(r.periodEnd)} download>
                        CSV<span className="sr-only"> for {periodText(r.periodEnd)}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <CommissionRates />
    </div>
  );
}

/** The platform default and the teachers' own rates, with the form that sets one. */
function CommissionRates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const rates = useQuery(trpc.settlement.commissions.queryOptions());
  const [teacherId, setTeacherId] = useState("");
  const [percent, setPercent] = useState("");
  const [saved, setSaved] = useState("");
  const save = useMutation(
    trpc.settlement.setCommission.mutationOptions({
      onSuccess: async (row) => {
        setSaved(
          row.commissionBps === null
            ? "The teacher now pays the default commission."
            : `The teacher's commission is now ${row.commissionBps / 100}%.`,
        );
        await queryClient.invalidateQueries(trpc.settlement.commissions.pathFilter());
      },
    }),
  );
  const errors = save.isError ? fieldErrorsFrom(save.error) : {};
  const submit = (event: FormEvent, clear = false) => {
    event.preventDefault();
    setSaved("");
    const trimmed = percent.trim();
    save.mutate({
      teacherId: teacherId.trim(),
      // An empty or non-numeric entry goes to the server as is, which names the field.
      percent: clear ? null : trimmed === "" ? Number.NaN : Number(trimmed),
    });
  };

  return (
    <section aria-labelledby="commission-rates">
      <h2 id="commission-rates">Commission</h2>
      {rates.isSuccess && (
        <p className="muted">
          Default: {rates.data.defaultPercent}% of each lesson (HALFHOUR_COMMISSION_PERCENT). A
          teacher's own rate applies to lessons settled after it is set.
        </p>
      )}
      <form className="admin-form" onSubmit={(e) => submit(e)} noValidate>
        <label htmlFor={`${id}-teacher`}>
          Teacher id
          <input
            id={`${id}-teacher`}
            value={teacherId}
            inputMode="numeric"
            onChange={(e) => setTeacherId(e.target.value)}
            aria-invalid={errors.teacherId ? true : undefined}
            aria-describedby={errors.teacherId ? `${id}-teacher-error` : undefined}
          />
        </label>
        <label htmlFor={`${id}-percent`}>
          Commission (%)
          <input
            id={`${id}-percent`}
            value={percent}
            inputMode="decimal"
            onChange={(e) => setPercent(e.target.value)}
            aria-invalid={errors.percent ? true : undefined}
            aria-describedby={errors.percent ? `${id}-percent-error` : undefined}
          />
        </label>
        <button type="submit" className="button small" disabled={save.isPending}>
          Set rate
        </button>
        <button
          type="button"
          className="button small"
          disabled={save.isPending}
          onClick={(e) => submit(e, true)}
        >
          Use the default
        </button>
      </form>
      {errors.teacherId && (
        <p id={`${id}-teacher-error`} className="error small">
          Teacher id: {errors.teacherId.join(" ")}
        </p>
      )}
      {errors.percent && (
        <p id={`${id}-percent-error`} className="error small">
          Commission: {errors.percent.join(" ")}
        </p>
      )}
      {save.isError && Object.keys(errors).length === 0 && (
        <p className="error" role="alert">
          {save.error.message}
        </p>
      )}
      <p role="status" className="small">
        {saved}
      </p>
      {rates.isSuccess && rates.data.overrides.length > 0 && (
        <div className="card tt-table-wrap">
          <table className="tt-table" data-testid="commission-overrides">
            <caption className="sr-only">Teachers with their own commission</caption>
            <thead>
              <tr>
                <th scope="col">Teacher</th>
                <th scope="col">Id</th>
                <th scope="col" className="num">
                  Commission
                </th>
              </tr>
            </thead>
            <tbody>
              {rates.data.overrides.map((o) => (
                <tr key={o.teacherId}>
                  <th scope="row">{o.displayName}</th>
                  <td className="tt-mono">{o.teacherId}</td>
                  <td className="num">{o.percent}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
