"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { REASON_MAX, REASON_MIN, REVIEW_LIST_LIMIT } from "@/server/onboarding/applicationRules";
import { useTRPC } from "../_trpc/client";
import { ApplicationDetails, dateTimeText } from "./ApplicationDetails";
import { AreaNotice } from "./AreaNotice";
import { DecisionButtons } from "./DecisionButtons";

type Outputs = inferRouterOutputs<AppRouter>["teacherAdmin"];
type Application = Outputs["applications"][number];
type TeacherRow = Outputs["teachers"][number];
type ApplicationFilter = "submitted" | "approved" | "rejected" | "all";
type TeacherFilter = "approved" | "suspended" | "applied" | "rejected" | "all";

const APPLICATION_FILTERS: { value: ApplicationFilter; label: string }[] = [
  { value: "submitted", label: "Waiting for review" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
  { value: "all", label: "All" },
];
const TEACHER_FILTERS: { value: TeacherFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "approved", label: "Approved" },
  { value: "suspended", label: "Suspended" },
  { value: "applied", label: "Applied (no decision)" },
  { value: "rejected", label: "Rejected" },
];

/** /admin/teachers: applications to decide, and teachers to suspend or reinstate. */
export function AdminTeachers() {
  return (
    <>
      <ApplicationsSection />
      <TeachersSection />
    </>
  );
}

function useRefreshTeacherDesk() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.teacherAdmin.pathFilter());
}

function ApplicationsSection() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<ApplicationFilter>("submitted");
  const list = useQuery(
    trpc.teacherAdmin.applications.queryOptions(filter === "all" ? {} : { status: filter }),
  );
  return (
    <section aria-labelledby="applications-title">
      <div className="row between">
        <h2 id="applications-title">Applications</h2>
        <label className="row">
          Show
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as ApplicationFilter)}
            aria-label="Show applications"
          >
            {APPLICATION_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.isError ? (
        <AreaNotice
          error={list.error}
          audience="admin"
          path="/admin/teachers"
          purpose="review teacher applications"
          forbidden="Teacher applications are reviewed by administrators."
        />
      ) : list.isPending ? (
        <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />
      ) : list.data.length === 0 ? (
        <p className="muted" data-testid="applications-empty">
          No applications here.
        </p>
      ) : (
        <div className="stack" data-testid="applications">
          {list.data.map((a) => (
            <ApplicationCard key={a.id} application={a} />
          ))}
          {list.data.length === REVIEW_LIST_LIMIT && (
            <p className="muted small">
              Only the first {REVIEW_LIST_LIMIT} are shown (waiting ones oldest first, then the
              newest).
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function ApplicationCard({ application: a }: { application: Application }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeacherDesk();
  const approve = useMutation(trpc.teacherAdmin.approve.mutationOptions({ onSettled: refresh }));
  const reject = useMutation(trpc.teacherAdmin.reject.mutationOptions({ onSettled: refresh }));
  const error = approve.error ?? reject.error;

  return (
    <article
      className="card"
      data-testid="application"
      data-application-id={a.id}
      data-status={a.status}
      aria-label={`Application from ${a.displayName}`}
    >
      <p className="row between">
        <span>
          <strong>{a.displayName}</strong>{" "}
          <span className="muted small">
            {a.applicantName && a.applicantName !== a.displayName ? `${a.applicantName} · ` : ""}
            {a.applicantEmail}
          </span>
        </span>
        <span className="badge">{a.status}</span>
      </p>
      <p className="muted small">Sent {dateTimeText(a.createdAt)}</p>
      <ApplicationDetails application={a} />
      {a.status !== "submitted" && (
        <p className="small">
          {a.status === "approved" ? "Approved" : "Rejected"}
          {a.reviewedAt ? ` ${dateTimeText(a.reviewedAt)}` : ""}
          {a.reviewerName ? ` by ${a.reviewerName}` : ""}
          {a.decisionReason && <> · “{a.decisionReason}”</>}
          {a.teacherId && (
            <>
              {" "}
              · <Link href={`/teachers/${a.teacherId}`}>studio</Link>
            </>
          )}
        </p>
      )}
      {a.status === "submitted" && (
        <DecisionButtons
          approve={{
            label: "Approve",
            pendingLabel: "Approving…",
            pending: approve.isPending,
            run: () => approve.mutate({ applicationId: a.id }),
          }}
          refuse={{
            verb: "Reject",
            submitLabel: "Reject the application",
            pendingLabel: "Rejecting…",
            reasonLabel: "Why it is rejected (the applicant reads this)",
            reasonMin: REASON_MIN,
            reasonMax: REASON_MAX,
            pending: reject.isPending,
            run: (reason) => reject.mutate({ applicationId: a.id, reason }),
          }}
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
    </article>
  );
}

function TeachersSection() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<TeacherFilter>("all");
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const list = useQuery(
    trpc.teacherAdmin.teachers.queryOptions({
      ...(filter === "all" ? {} : { status: filter }),
      ...(query ? { q: query } : {}),
    }),
  );
  return (
    <section aria-labelledby="teachers-title">
      <h2 id="teachers-title">Teachers</h2>
      <search>
        <form
          className="row"
          aria-label="Find teachers"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery(q.trim());
          }}
        >
          <input
            type="search"
            aria-label="Name or email"
            placeholder="Name or email"
            maxLength={100}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <select
            aria-label="Status"
            value={filter}
            onChange={(e) => setFilter(e.target.value as TeacherFilter)}
          >
            {TEACHER_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
          <button type="submit" className="button small secondary">
            Find
          </button>
        </form>
      </search>
      {list.isError ? (
        <p className="notice" role="alert">
          {list.error.message}
        </p>
      ) : list.isPending ? (
        <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />
      ) : list.data.length === 0 ? (
        <p className="muted">No teachers match.</p>
      ) : (
        <div className="table-scroll">
          <table className="orders-table" data-testid="admin-teachers">
            <caption className="sr-only">Teachers by name</caption>
            <thead>
              <tr>
                <th scope="col">Teacher</th>
                <th scope="col">Status</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((t) => (
                <TeacherStandingRow key={t.id} teacher={t} />
              ))}
            </tbody>
          </table>
          {list.data.length === REVIEW_LIST_LIMIT && (
            <p className="muted small">
              The first {REVIEW_LIST_LIMIT} by name are shown; search by name or email to narrow.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function TeacherStandingRow({ teacher: t }: { teacher: TeacherRow }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeacherDesk();
  const [suspending, setSuspending] = useState(false);
  const [reason, setReason] = useState("");
  const suspend = useMutation(
    trpc.teacherAdmin.suspend.mutationOptions({
      onSettled: refresh,
      onSuccess: () => setSuspending(false),
    }),
  );
  const reinstate = useMutation(
    trpc.teacherAdmin.reinstate.mutationOptions({ onSettled: refresh }),
  );
  const busy = suspend.isPending || reinstate.isPending;
  const error = suspend.error ?? reinstate.error;

  return (
    <tr data-teacher-id={t.id} data-status={t.status}>
      <th scope="row">
        {t.status === "approved" ? (
          <Link href={`/teachers/${t.id}`}>{t.displayName}</Link>
        ) : (
          t.displayName
        )}
        <span className="muted small"> · {t.email}</span>
      </th>
      <td>
        <span className="badge">{t.status}</span>
        {t.statusReason && <span className="muted small"> · {t.statusReason}</span>}
      </td>
      <td>
        {t.status === "approved" &&
          (suspending ? (
            <form
              className="row"
              onSubmit={(event) => {
                event.preventDefault();
                suspend.mutate({ teacherId: t.id, reason });
              }}
            >
              <input
                aria-label={`Why ${t.displayName} is suspended`}
                placeholder="Reason (the teacher reads it)"
                required
                minLength={REASON_MIN}
                maxLength={REASON_MAX}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
              <button type="submit" className="button small danger" disabled={busy}>
                {suspend.isPending ? "Suspending…" : "Suspend"}
              </button>
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => setSuspending(false)}
              >
                Back
              </button>
            </form>
          ) : (
            <button
              type="button"
              className="button small secondary"
              disabled={busy}
              onClick={() => setSuspending(true)}
            >
              Suspend…
            </button>
          ))}
        {t.status === "suspended" && (
          <button
            type="button"
            className="button small"
            disabled={busy}
            onClick={() => reinstate.mutate({ teacherId: t.id })}
          >
            {reinstate.isPending ? "Reinstating…" : "Reinstate"}
          </button>
        )}
        {(t.status === "applied" || t.status === "rejected") && (
          <span className="muted small">Decided through an application</span>
        )}
        {error && (
          <span className="error small" role="alert">
            {" "}
            {error.message}
          </span>
        )}
      </td>
    </tr>
  );
}
