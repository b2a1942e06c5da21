"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { EarningsChart } from "./EarningsChart";
import { formatMoney } from "./format";
import { TeacherAreaNotice } from "./TeacherAreaNotice";

const dateText = (at: Date, timeZone?: string) =>
  new Intl.DateTimeFormat(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(at);

/** The week a payout covered: the seven days before its cut-off (a Monday, UTC). */
const weekBefore = (periodEnd: Date) =>
  `${dateText(new Date(periodEnd.getTime() - 7 * 86_400_000), "UTC")} – ${dateText(
    new Date(periodEnd.getTime() - 1),
    "UTC",
  )}`;

const LESSON_OUTCOME: Record<string, string> = {
  completed: "Completed",
  no_show: "Student didn't show",
  cancelled: "Cancelled late by the student",
};

function Loading() {
  return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
}

/** /dashboard/earnings: what the teacher has earned, is owed and was paid. */
export function TeacherEarnings() {
  const trpc = useTRPC();
  const earnings = useQuery(trpc.settlement.earnings.queryOptions());
  if (earnings.isPending) return <Loading />;
  if (earnings.isError) {
    return (
      <TeacherAreaNotice
        error={earnings.error}
        path="/dashboard/earnings"
        purpose="see your earnings"
        forbidden="Earnings are for teachers."
      />
    );
  }
  const e = earnings.data;
  return (
    <div className="earnings" data-testid="earnings">
      <p className="muted">
        You earn each lesson's share of what the student paid, less the platform's{" "}
        {e.commissionPercent}% commission — for lessons taken, no-shows and late cancellations by
        the student alike. Payouts are made weekly, on Mondays, for everything earned up to the end
        of the week before.
      </p>
      {e.totals.length === 0 ? (
        <p className="muted" data-testid="earnings-empty">
          Nothing earned yet. When a student books and takes a lesson, its earning appears here.
        </p>
      ) : (
        e.totals.map((t) => (
          <section
            key={t.currency}
            className="card"
            aria-label={`Earnings in ${t.currency}`}
            data-testid={`earnings-totals-${t.currency}`}
          >
            <dl className="tt-facts">
              <div>
                <dt>Pending (booked, not yet taken)</dt>
                <dd data-testid="earnings-pending">{formatMoney(t.pending, t.currency)}</dd>
              </div>
              <div>
                <dt>Payable (earned, to be paid out)</dt>
                <dd data-testid="earnings-payable">{formatMoney(t.payable, t.currency)}</dd>
              </div>
              <div>
                <dt>Paid out</dt>
                <dd data-testid="earnings-paid-out">{formatMoney(t.paidOut, t.currency)}</dd>
              </div>
            </dl>
            <p className="muted small">
              Pending is an estimate at your current rate; the amount is fixed when the lesson takes
              place.
            </p>
          </section>
        ))
      )}

      {e.charts.length > 0 && (
        <section aria-labelledby="earnings-weekly">
          <h2 id="earnings-weekly">Weekly net earnings</h2>
          {e.charts.map((c) => (
            <EarningsChart key={c.currency} currency={c.currency} weeks={c.weeks} />
          ))}
        </section>
      )}

      <section aria-labelledby="earnings-recent">
        <h2 id="earnings-recent">Recent lessons</h2>
        {e.settlements.length === 0 ? (
          <p className="muted">No lessons settled yet.</p>
        ) : (
          <div className="card tt-table-wrap">
            <table className="tt-table" data-testid="earnings-settlements">
              <caption className="sr-only">Your most recent settled lessons, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Lesson</th>
                  <th scope="col">Student</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="num">
                    Lesson value
                  </th>
                  <th scope="col" className="num">
                    Commission
                  </th>
                  <th scope="col" className="num">
                    You earn
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {e.settlements.map((s) => (
                  <tr
                    key={s.lessonId}
                    data-testid="earnings-settlement"
                    data-lesson-id={s.lessonId}
                  >
                    <td>
                      <time dateTime={s.startsAt.toISOString()}>{dateText(s.startsAt)}</time>
                    </td>
                    <td>{s.studentName ?? "A student"}</td>
                    <td>{LESSON_OUTCOME[s.lessonStatus] ?? s.lessonStatus}</td>
                    <td className="num">{formatMoney(s.gross, s.currency)}</td>
                    <td className="num">{formatMoney(s.commission, s.currency)}</td>
                    <td className="num">{formatMoney(s.net, s.currency)}</td>
                    <td>{s.paidOut ? "Paid out" : "Payable"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="earnings-payouts">
        <h2 id="earnings-payouts">Payouts</h2>
        {e.payouts.length === 0 ? (
          <p className="muted">No payouts yet.</p>
        ) : (
          <div className="card tt-table-wrap">
            <table className="tt-table" data-testid="earnings-payouts">
              <caption className="sr-only">Your payouts, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Week</th>
                  <th scope="col" className="num">
                    Lessons
                  </th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {e.payouts.map((p) => (
                  <tr key={p.id}>
                    <td>{weekBefore(p.periodEnd)}</td>
                    <td className="num">{p.lessons}</td>
                    <td className="num">{formatMoney(p.amount, p.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
