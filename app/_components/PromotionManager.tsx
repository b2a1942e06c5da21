"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent, useId, useState } from "react";
import type { AppRouter } from "../../server/api/root";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";
import { formatMoney } from "./format";

type Listed = inferRouterOutputs<AppRouter>["promotions"]["list"][number];
type Audience = "admin" | "teacher";

const KIND_WORDS = {
  percent_off: "Percent off",
  amount_off: "Amount off",
  first_lesson_price: "First-lesson price (new students)",
  package_discount: "Package discount (from N hours)",
} as const;
type Kind = keyof typeof KIND_WORDS;

const DAY = 86_400_000;
const dateText = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(at);
/** "2026-11-23T10:00" in the viewer's zone, for datetime-local inputs. */
const localInput = (at: Date) =>
  new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
/** Blank or non-numeric entries go to the server as NaN, which names the field. */
const num = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const minor = (text: string) => Math.round(num(text) * 100);
const bps = (text: string) => Math.round(num(text) * 100);

/**
 * /admin/promotions and /dashboard/promotions: create promotions (admins: platform-funded, any
 * scope; teachers: their own courses) and follow them — stock used and left, orders that
 * used or hold them, discount given — with pause, resume, retire, and extend or restock.
 */
export function PromotionManager(props: { audience: Audience }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.promotions.list.queryOptions());
  if (list.isError) {
    return (
      <AreaNotice
        error={list.error}
        audience={props.audience}
        path={props.audience === "admin" ? "/admin/promotions" : "/dashboard/promotions"}
        purpose="manage promotions"
        forbidden="Promotions are managed by administrators and teachers."
      />
    );
  }
  if (list.isPending) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  return (
    <>
      <CreatePromotion audience={props.audience} />
      <section aria-labelledby="promotions-list">
        <h2 id="promotions-list">Promotions</h2>
        {list.data.length === 0 ? (
          <p className="muted" data-testid="promotions-empty">
            No promotions yet.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="orders-table" data-testid="promotions-table">
              <thead>
                <tr>
                  <th>Promotion</th>
                  <th>Applies to</th>
                  <th>Runs</th>
                  <th>Status</th>
                  <th>Stock used / left</th>
                  <th>Orders (paid / awaiting)</th>
                  <th>Discount given</th>
                  <th>Revenue driven</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((p) => (
                  <PromotionRow key={p.id} promotion={p} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function scopeText(p: Listed) {
  if (p.scopeKind === "all") return "Everything";
  return `${p.scopeKind[0]!.toUpperCase()}${p.scopeKind.slice(1)}: ${p.scopeIds.join(", ")}`;
}

function PromotionRow(props: { promotion: Listed }) {
  const p = props.promotion;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.promotions.list.pathFilter());
  const setStatus = useMutation(trpc.promotions.setStatus.mutationOptions({ onSuccess: refresh }));
  const edit = useMutation(trpc.promotions.edit.mutationOptions({ onSuccess: refresh }));
  const money = (amount: number) => formatMoney(amount, p.currency);
  const change = (changes: { endsAt?: Date; stockTotal?: number | null }) =>
    edit.mutate({
      promotionId: p.id,
      changes: {
        title: p.title,
        description: p.description,
        scope: p.scopeKind === "all" ? { kind: "all" } : { kind: p.scopeKind, ids: p.scopeIds },
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        stockTotal: p.stockTotal,
        priority: p.priority,
        ...changes,
      },
    });
  const failure = setStatus.error ?? edit.error;
  const busy = setStatus.isPending || edit.isPending;
  return (
    <tr data-testid="promotion-row">
      <td>
        <strong>{p.title}</strong>
        <br />
        <span className="small">{p.words}</span>
        {p.exclusive && <span className="small muted"> · exclusive</span>}
        {p.funder === "teacher" && <span className="small muted"> · teacher-funded</span>}
      </td>
      <td className="small">{scopeText(p)}</td>
      <td className="small">
        {dateText(p.startsAt)} – {dateText(p.endsAt)}
      </td>
      <td>{p.status}</td>
      <td>
        {p.stockUsed} / {p.stockLeft ?? "unlimited"}
      </td>
      <td>
        {p.consumedOrders} / {p.reservedOrders}
      </td>
      <td>{money(p.discountGiven)}</td>
      <td>{money(p.revenueDriven)}</td>
      <td className="small">
        {p.status !== "retired" && (
          <span className="row wrap">
            {p.status === "active" ? (
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => setStatus.mutate({ promotionId: p.id, action: "pause" })}
              >
                Pause
              </button>
            ) : (
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => setStatus.mutate({ promotionId: p.id, action: "resume" })}
              >
                Resume
              </button>
            )}
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => change({ endsAt: new Date(p.endsAt.getTime() + 7 * DAY) })}
            >
              Extend 7 days
            </button>
            {p.stockTotal !== null && (
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => change({ stockTotal: (p.stockTotal ?? 0) + 10 })}
              >
                +10 stock
              </button>
            )}
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Retire “${p.title}” for good?`)) {
                  setStatus.mutate({ promotionId: p.id, action: "retire" });
                }
              }}
            >
              Retire
            </button>
          </span>
        )}
        {failure && (
          <span className="error" role="alert">
            {failure.message}
          </span>
        )}
      </td>
    </tr>
  );
}

function CreatePromotion(props: { audience: Audience }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const teacher = props.audience === "teacher";
  const me = useQuery({ ...trpc.teachers.me.queryOptions(), enabled: teacher });
  const mine = useQuery({ ...trpc.courses.mine.queryOptions(), enabled: teacher });
  const now = Date.now();
  const [form, setForm] = useState({
    title: "",
    description: "",
    kind: "percent_off" as Kind,
    percent: "10",
    amount: "",
    minHours: "10",
    scopeKind: teacher ? "mine" : "all",
    scopeIds: "",
    startsAt: localInput(new Date(now)),
    endsAt: localInput(new Date(now + 14 * DAY)),
    stock: "",
    perUser: "",
    priority: "0",
    exclusive: false,
  });
  const [created, setCreated] = useState("");
  const set = (field: keyof typeof form) => (value: string | boolean) =>
    setForm((f) => ({ ...f, [field]: value }));
  const create = useMutation(
    trpc.promotions.create.mutationOptions({
      onSuccess: async (row) => {
        setCreated(`Created “${row.title}”.`);
        setForm((f) => ({ ...f, title: "", description: "" }));
        await queryClient.invalidateQueries(trpc.promotions.list.pathFilter());
      },
    }),
  );
  const errors = create.isError ? fieldErrorsFrom(create.error) : {};
  const errorOf = (...fields: string[]) => fields.flatMap((f) => errors[f] ?? []).join(" ") || null;

  const scope = () => {
    if (form.scopeKind === "all") return { kind: "all" as const };
    if (form.scopeKind === "mine") return { kind: "teachers" as const, ids: [me.data?.id ?? ""] };
    if (teacher) return { kind: "courses" as const, ids: [form.scopeKind] };
    const ids = form.scopeIds
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    return { kind: form.scopeKind as "subjects" | "teachers" | "courses", ids };
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated("");
    const kind = form.kind;
    create.mutate({
      title: form.title,
      description: form.description,
      kind,
      percentBps:
        kind === "percent_off" || kind === "package_discount" ? bps(form.percent) : undefined,
      amountOff: kind === "amount_off" ? minor(form.amount) : undefined,
      price: kind === "first_lesson_price" ? minor(form.amount) : undefined,
      minHours: kind === "package_discount" ? num(form.minHours) : undefined,
      scope: scope(),
      startsAt: new Date(form.startsAt),
      endsAt: new Date(form.endsAt),
      stockTotal: form.stock.trim() === "" ? null : num(form.stock),
      perUserLimit: form.perUser.trim() === "" ? null : num(form.perUser),
      priority: num(form.priority),
      exclusive: form.exclusive,
    });
  };

  const field = (
    name: keyof typeof form,
    label: string,
    errorFields: string[],
    inputProps: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => {
    const error = errorOf(...errorFields);
    return (
      <label htmlFor={`${id}-${name}`}>
        {label}
        <input
          id={`${id}-${name}`}
          value={String(form[name])}
          onChange={(e) => set(name)(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${name}-error` : undefined}
          {...inputProps}
        />
        {error && (
          <span className="error small" id={`${id}-${name}-error`}>
            {error}
          </span>
        )}
      </label>
    );
  };
  const usesPercent = form.kind === "percent_off" || form.kind === "package_discount";
  const scopeError = errorOf("scope", "scope.ids", "scope.kind");

  return (
    <section aria-labelledby={`${id}-new`}>
      <h2 id={`${id}-new`}>New promotion</h2>
      <form className="admin-form" onSubmit={submit} noValidate data-testid="promotion-form">
        {field("title", "Title", ["title"])}
        {field("description", "Description (optional)", ["description"])}
        <label htmlFor={`${id}-kind`}>
          Kind
          <select id={`${id}-kind`} value={form.kind} onChange={(e) => set("kind")(e.target.value)}>
            {Object.entries(KIND_WORDS).map(([k, words]) => (
              <option key={k} value={k}>
                {words}
              </option>
            ))}
          </select>
        </label>
        {usesPercent && field("percent", "Percent off", ["percentBps"], { inputMode: "decimal" })}
        {form.kind === "amount_off" &&
          field("amount", "Amount off (USD)", ["amountOff"], { inputMode: "decimal" })}
        {form.kind === "first_lesson_price" &&
          field("amount", "First lesson price (USD)", ["price"], { inputMode: "decimal" })}
        {form.kind === "package_discount" &&
          field("minHours", "Packages of at least (hours)", ["minHours"], {
            inputMode: "numeric",
          })}
        <label htmlFor={`${id}-scope`}>
          Applies to
          <select
            id={`${id}-scope`}
            value={form.scopeKind}
            onChange={(e) => set("scopeKind")(e.target.value)}
            aria-invalid={scopeError ? true : undefined}
          >
            {teacher ? (
              <>
                <option value="mine">All my courses</option>
                {(mine.data ?? [])
                  .filter((c) => c.status === "active")
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
              </>
            ) : (
              <>
                <option value="all">Everything</option>
                <option value="subjects">Subjects (slugs)</option>
                <option value="teachers">Teachers (ids)</option>
                <option value="courses">Courses (ids)</option>
              </>
            )}
          </select>
          {scopeError && <span className="error small">{scopeError}</span>}
        </label>
        {!teacher &&
          form.scopeKind !== "all" &&
          field("scopeIds", "Ids or slugs (comma-separated)", ["scope.ids"])}
        {field("startsAt", "Starts", ["startsAt"], { type: "datetime-local" })}
        {field("endsAt", "Ends", ["endsAt"], { type: "datetime-local" })}
        {field("stock", "Stock: number of orders (blank: unlimited)", ["stockTotal"], {
          inputMode: "numeric",
        })}
        {field("perUser", "Per student limit (blank: none)", ["perUserLimit"], {
          inputMode: "numeric",
        })}
        {field("priority", "Priority (higher wins a tie)", ["priority"], { inputMode: "numeric" })}
        <label className="row">
          <input
            type="checkbox"
            checked={form.exclusive}
            onChange={(e) => set("exclusive")(e.target.checked)}
          />
          Exclusive (never combined with a coupon)
        </label>
        <button type="submit" className="button" disabled={create.isPending}>
          Create promotion
        </button>
        {create.isError && (
          <p className="error" role="alert">
            {create.error.message}
          </p>
        )}
        {created && (
          <p className="small" role="status" data-testid="promotion-created">
            {created}
          </p>
        )}
      </form>
    </section>
  );
}
