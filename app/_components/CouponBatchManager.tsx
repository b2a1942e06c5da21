"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import type { AppRouter } from "../../server/api/root";
import { useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";
import { callFailureOf } from "./callFailure";
import { discountWords, newRequestKey } from "./couponWords";
import { formatMoney } from "./format";
import { parseMajorAmount } from "./WalletTopUpForm";

type Batch = inferRouterOutputs<AppRouter>["coupons"]["batches"][number];

const optionalMinor = (text: string) => (text.trim() ? parseMajorAmount(text) : null);
const optionalInt = (text: string) => (text.trim() ? Number(text) : null);

/**
 * Coupon batches for an administrator (/admin/coupons: platform-funded, any scope) or a teacher
 * (/dashboard/coupons: teacher-funded, their own courses): create, monitor (issued, used, budget
 * left, discount given, orders and revenue driven), pause/resume/retire, grant.
 */
export function CouponBatchManager(props: { audience: "admin" | "teacher" }) {
  const trpc = useTRPC();
  const batches = useQuery(trpc.coupons.batches.queryOptions());
  const path = props.audience === "admin" ? "/admin/coupons" : "/dashboard/coupons";
  if (batches.isError) {
    return (
      <AreaNotice
        error={batches.error}
        audience={props.audience}
        path={path}
        purpose="manage coupons"
        forbidden="Coupon batches are managed by administrators and teachers."
      />
    );
  }
  return (
    <>
      <CreateBatchForm audience={props.audience} />
      <section aria-labelledby="batches-heading">
        <h2 id="batches-heading">Batches</h2>
        {batches.isPending ? (
          <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />
        ) : batches.data.length === 0 ? (
          <p className="muted">No coupon batches yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="orders-table" data-testid="coupon-batches">
              <thead>
                <tr>
                  <th scope="col">Batch</th>
                  <th scope="col">Issued / budget</th>
                  <th scope="col">Used</th>
                  <th scope="col">Left</th>
                  <th scope="col">Discount given</th>
                  <th scope="col">Orders · revenue</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {batches.data.map((b) => (
                  <BatchRow key={b.id} batch={b} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function BatchRow({ batch: b }: { batch: Batch }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.coupons.batches.queryKey() });
  const status = useMutation(trpc.coupons.setBatchStatus.mutationOptions({ onSuccess: refresh }));
  const budget = [
    b.budgetCount !== null ? `${b.budgetCount}` : null,
    b.budgetAmount !== null ? formatMoney(b.budgetAmount, b.currency) : null,
  ]
    .filter(Boolean)
    .join(" / ");
  return (
    <tr data-batch-id={b.id} data-status={b.status}>
      <th scope="row">
        {b.public ? <Link href={`/campaigns/${b.id}`}>{b.title}</Link> : b.title}
        <div className="muted small">
          {discountWords(b.discount)}
          {b.claimCode ? ` · code ${b.claimCode}` : ""}
          {b.scopeKind !== "all" ? ` · ${b.scopeKind}: ${b.scopeIds.join(", ")}` : ""}
        </div>
        <GrantForm batchId={b.id} onDone={refresh} />
      </th>
      <td>
        {b.issued} / {budget || "no budget"}
      </td>
      <td>{b.used}</td>
      <td>{b.left ?? "∞"}</td>
      <td>{formatMoney(b.discountGiven, b.currency)}</td>
      <td>
        {b.ordersDriven} · {formatMoney(b.revenueDriven, b.currency)}
      </td>
      <td>
        <span className="badge">{b.status}</span>
        {b.status !== "retired" && (
          <div className="row">
            <button
              type="button"
              className="link-button"
              disabled={status.isPending}
              onClick={() =>
                status.mutate({
                  batchId: b.id,
                  status: b.status === "active" ? "paused" : "active",
                })
              }
            >
              {b.status === "active" ? "Pause" : "Resume"}
            </button>
            <button
              type="button"
              className="link-button"
              disabled={status.isPending}
              onClick={() => {
                if (window.confirm("Retire this batch for good? Unused coupons are withdrawn.")) {
                  status.mutate({ batchId: b.id, status: "retired" });
                }
              }}
            >
              Retire
            </button>
          </div>
        )}
        {status.isError && (
          <p className="error" role="alert">
            {status.error.message}
          </p>
        )}
      </td>
    </tr>
  );
}

function GrantForm(props: { batchId: string; onDone: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [key, setKey] = useState(newRequestKey);
  const grant = useMutation(
    trpc.coupons.grant.mutationOptions({
      onSuccess: () => {
        setText("");
        setKey(newRequestKey());
        props.onDone();
      },
    }),
  );
  if (!open) {
    return (
      <button type="button" className="link-button small" onClick={() => setOpen(true)}>
        Grant…
      </button>
    );
  }
  return (
    <form
      aria-label="Grant coupons"
      onSubmit={(e) => {
        e.preventDefault();
        const recipients = text
          .split(/[\n,;]+/)
          .map((s) => s.trim())
          .filter(Boolean);
        grant.mutate({ batchId: props.batchId, recipients, grantKey: key });
      }}
    >
      <label className="small">
        Emails or phone numbers (+447700900123), one per line
        <textarea
          value={text}
          rows={3}
          onChange={(e) => {
            setText(e.target.value);
            setKey(newRequestKey());
          }}
          required
        />
      </label>
      <button type="submit" className="button small" disabled={grant.isPending}>
        Grant
      </button>
      {grant.isSuccess && (
        <p role="status" className="muted small">
          Granted {grant.data.issued} coupon{grant.data.issued === 1 ? "" : "s"}
          {grant.data.coupons.some((c) => c.status === "pending")
            ? "; phone numbers without an account get theirs when they verify it"
            : ""}
          .
        </p>
      )}
      {grant.isError && (
        <p className="error small" role="alert">
          {grant.error.message}
        </p>
      )}
    </form>
  );
}

function CreateBatchForm(props: { audience: "admin" | "teacher" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [f, setF] = useState({
    title: "",
    description: "",
    kind: "amount_off" as "amount_off" | "percent_off" | "free_trial",
    amount: "",
    percent: "",
    cap: "",
    minOrder: "",
    days: "30",
    budgetCount: "",
    budgetAmount: "",
    perUserLimit: "1",
    claimCode: "",
    scopeKind: "all" as "all" | "subjects" | "teachers" | "courses",
    scopeIds: "",
    isPublic: true,
    exclusive: false,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<typeof f>) => setF((old) => ({ ...old, ...patch }));
  const create = useMutation(
    trpc.coupons.createBatch.mutationOptions({
      onSuccess: () => {
        setProblem(null);
        set({ title: "", description: "", claimCode: "" });
        void queryClient.invalidateQueries({ queryKey: trpc.coupons.batches.queryKey() });
      },
      onError: (error) => {
        const failure = callFailureOf(error);
        const fields = failure.fieldErrors
          ? Object.entries(failure.fieldErrors).map(([k, v]) => `${k}: ${v.join(", ")}`)
          : [];
        setProblem(fields.length ? fields.join("; ") : failure.message);
      },
    }),
  );
  return (
    <form
      className="card"
      aria-label="New coupon batch"
      data-testid="create-batch"
      onSubmit={(e) => {
        e.preventDefault();
        const percent = f.percent.trim() ? Math.round(Number(f.percent) * 100) : null;
        create.mutate({
          title: f.title,
          description: f.description,
          kind: f.kind,
          amountOff: f.kind === "amount_off" ? optionalMinor(f.amount) : null,
          percentBps: f.kind === "percent_off" ? percent : null,
          cap: f.kind === "percent_off" ? optionalMinor(f.cap) : null,
          minOrderAmount: optionalMinor(f.minOrder) ?? 0,
          validDaysAfterClaim: optionalInt(f.days),
          budgetCount: optionalInt(f.budgetCount),
          budgetAmount: optionalMinor(f.budgetAmount),
          perUserLimit: optionalInt(f.perUserLimit) ?? 1,
          claimCode: f.claimCode.trim() || null,
          scopeKind: f.scopeKind,
          scopeIds: f.scopeIds
            .split(/[\s,]+/)
            .map((s) => s.trim())
            .filter(Boolean),
          public: f.isPublic,
          exclusive: f.exclusive,
        });
      }}
    >
      <h2>New batch</h2>
      <p className="muted small">
        {props.audience === "admin"
          ? "Platform-funded. Scope it to everything, subjects (slugs), teachers or courses (ids)."
          : "Funded by you, for your own courses (all of them unless you list course ids)."}
      </p>
      <div className="row">
        <label>
          Title <input value={f.title} onChange={(e) => set({ title: e.target.value })} required />
        </label>
        <label>
          Kind{" "}
          <select value={f.kind} onChange={(e) => set({ kind: e.target.value as typeof f.kind })}>
            <option value="amount_off">Amount off</option>
            <option value="percent_off">Percent off</option>
            <option value="free_trial">Free trial lesson</option>
          </select>
        </label>
        {f.kind === "amount_off" && (
          <label>
            Amount off{" "}
            <input
              value={f.amount}
              inputMode="decimal"
              onChange={(e) => set({ amount: e.target.value })}
            />
          </label>
        )}
        {f.kind === "percent_off" && (
          <>
            <label>
              Percent{" "}
              <input
                value={f.percent}
                inputMode="decimal"
                onChange={(e) => set({ percent: e.target.value })}
              />
            </label>
            <label>
              Cap{" "}
              <input
                value={f.cap}
                inputMode="decimal"
                onChange={(e) => set({ cap: e.target.value })}
              />
            </label>
          </>
        )}
      </div>
      <div className="row">
        <label>
          Valid days after claim{" "}
          <input
            value={f.days}
            inputMode="numeric"
            onChange={(e) => set({ days: e.target.value })}
          />
        </label>
        <label>
          Budget (coupons){" "}
          <input
            value={f.budgetCount}
            inputMode="numeric"
            onChange={(e) => set({ budgetCount: e.target.value })}
          />
        </label>
        <label>
          Budget (money){" "}
          <input
            value={f.budgetAmount}
            inputMode="decimal"
            onChange={(e) => set({ budgetAmount: e.target.value })}
          />
        </label>
        <label>
          Per student{" "}
          <input
            value={f.perUserLimit}
            inputMode="numeric"
            onChange={(e) => set({ perUserLimit: e.target.value })}
          />
        </label>
        <label>
          Minimum order{" "}
          <input
            value={f.minOrder}
            inputMode="decimal"
            onChange={(e) => set({ minOrder: e.target.value })}
          />
        </label>
      </div>
      <div className="row">
        <label>
          Scope{" "}
          <select
            value={f.scopeKind}
            onChange={(e) => set({ scopeKind: e.target.value as typeof f.scopeKind })}
          >
            <option value="all">
              {props.audience === "admin" ? "Everything" : "All my courses"}
            </option>
            {props.audience === "admin" && <option value="subjects">Subjects</option>}
            {props.audience === "admin" && <option value="teachers">Teachers</option>}
            <option value="courses">Courses</option>
          </select>
        </label>
        {f.scopeKind !== "all" && (
          <label>
            Ids <input value={f.scopeIds} onChange={(e) => set({ scopeIds: e.target.value })} />
          </label>
        )}
        <label>
          Claim code{" "}
          <input value={f.claimCode} onChange={(e) => set({ claimCode: e.target.value })} />
        </label>
        <label>
          <input
            type="checkbox"
            checked={f.isPublic}
            onChange={(e) => set({ isPublic: e.target.checked })}
          />{" "}
          Public campaign page
        </label>
        <label>
          <input
            type="checkbox"
            checked={f.exclusive}
            onChange={(e) => set({ exclusive: e.target.checked })}
          />{" "}
          Never with a promotion
        </label>
      </div>
      <label>
        Description{" "}
        <textarea
          value={f.description}
          rows={2}
          onChange={(e) => set({ description: e.target.value })}
        />
      </label>
      <p>
        <button type="submit" className="button" disabled={create.isPending}>
          Create batch
        </button>
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
