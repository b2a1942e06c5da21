"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useId, useRef, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { addDays, halfHourTimes, plural, WEEKDAYS } from "./ScheduleModel";

interface WindowRow {
  id: number;
  weekday: number;
  start: string;
  end: string;
}

const START_TIMES = halfHourTimes(false);
const END_TIMES = halfHourTimes(true);
const DEFAULT_WEEKS = 8;

/**
 * Batch publishing: weekly windows in the teacher's zone over a date range. "Preview" asks the
 * server what would change (dry run); "Publish pattern" does it. Reserved and locked half
 * hours are never touched.
 */
export function SchedulePatternForm(props: { timeZone: string; today: string; approved: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const nextId = useRef(1);
  const [windows, setWindows] = useState<WindowRow[]>([
    { id: 0, weekday: 1, start: "09:00", end: "12:00" },
  ]);
  const [from, setFrom] = useState(props.today);
  const [to, setTo] = useState(addDays(props.today, DEFAULT_WEEKS * 7 - 1));

  const apply = useMutation(
    trpc.schedule.applyPattern.mutationOptions({
      onSuccess: async (_result, variables) => {
        if (variables.dryRun) return;
        await Promise.all([
          queryClient.invalidateQueries(trpc.availability.week.pathFilter()),
          queryClient.invalidateQueries(trpc.teachers.me.queryFilter()),
        ]);
      },
    }),
  );
  const errors = fieldErrorsFrom(apply.error);
  const shown = new Set<string>(["windows", "from", "to"]);
  windows.forEach((_, i) => {
    for (const f of ["weekday", "start", "end"]) shown.add(`windows.${i}.${f}`);
  });
  const otherErrors = Object.entries(errors)
    .filter(([field]) => !shown.has(field))
    .flatMap(([, messages]) => messages);

  /** Any edit makes an earlier preview or error stale. */
  const edit = (update: () => void) => {
    update();
    if (!apply.isPending) apply.reset();
  };
  const setWindow = (id: number, patch: Partial<WindowRow>) =>
    edit(() => setWindows((ws) => ws.map((w) => (w.id === id ? { ...w, ...patch } : w))));

  const run = (dryRun: boolean) =>
    apply.mutate({
      windows: windows.map(({ weekday, start, end }) => ({ weekday, start, end })),
      from,
      to,
      dryRun,
    });

  const today = props.today;
  const result = apply.data;
  const wasDryRun = apply.variables?.dryRun ?? true;
  const fieldError = (field: string): FieldErrorInfo | null => {
    const messages = errors[field];
    return messages?.length ? { id: `${formId}-${field}-error`, text: messages.join(" ") } : null;
  };

  return (
    <section className="card schedule-card" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>Publish a weekly pattern</h2>
      <p className="muted small">
        Open the same hours every week, in {props.timeZone}. Half hours that are reserved or locked
        are left alone; nothing is unpublished.
      </p>
      {!props.approved && <p className="notice">Publishing opens once your profile is approved.</p>}
      <form
        className="schedule-pattern"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          run(true);
        }}
      >
        <fieldset className="schedule-windows" disabled={!props.approved}>
          <legend>Weekly windows</legend>
          {errors.windows && (
            <span className="schedule-field-error">{errors.windows.join(" ")}</span>
          )}
          {windows.length === 0 && <p className="muted small">No windows yet.</p>}
          {windows.map((w, i) => (
            // biome-ignore lint/a11y/useSemanticElements: a row of three labelled selects, not a form section
            <div key={w.id} className="schedule-window" role="group" aria-label={`Window ${i + 1}`}>
              <Field
                id={`${formId}-w${w.id}-weekday`}
                label="Day"
                error={fieldError(`windows.${i}.weekday`)}
              >
                {(props) => (
                  <select
                    {...props}
                    value={w.weekday}
                    onChange={(e) => setWindow(w.id, { weekday: Number(e.target.value) })}
                  >
                    {WEEKDAYS.map((d) => (
                      <option key={d.value} value={d.value}>
                        {d.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                id={`${formId}-w${w.id}-start`}
                label="From"
                error={fieldError(`windows.${i}.start`)}
              >
                {(props) => (
                  <select
                    {...props}
                    value={w.start}
                    onChange={(e) => setWindow(w.id, { start: e.target.value })}
                  >
                    {START_TIMES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                id={`${formId}-w${w.id}-end`}
                label="To"
                error={fieldError(`windows.${i}.end`)}
              >
                {(props) => (
                  <select
                    {...props}
                    value={w.end}
                    onChange={(e) => setWindow(w.id, { end: e.target.value })}
                  >
                    {END_TIMES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button
                type="button"
                className="link-button schedule-remove"
                onClick={() => edit(() => setWindows((ws) => ws.filter((x) => x.id !== w.id)))}
              >
                Remove<span className="sr-only"> window {i + 1}</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            className="schedule-button"
            onClick={() =>
              edit(() =>
                setWindows((ws) => [
                  ...ws,
                  {
                    id: nextId.current++,
                    weekday: Math.min((ws.at(-1)?.weekday ?? 0) + 1, 7),
                    start: ws.at(-1)?.start ?? "09:00",
                    end: ws.at(-1)?.end ?? "12:00",
                  },
                ]),
              )
            }
          >
            + Add window
          </button>
        </fieldset>

        <fieldset className="schedule-dates" disabled={!props.approved}>
          <legend>Dates</legend>
          <Field id={`${formId}-from`} label="From" error={fieldError("from")}>
            {(props) => (
              <input
                {...props}
                type="date"
                value={from}
                min={today}
                onChange={(e) => edit(() => setFrom(e.target.value))}
              />
            )}
          </Field>
          <Field id={`${formId}-to`} label="To" error={fieldError("to")}>
            {(props) => (
              <input
                {...props}
                type="date"
                value={to}
                min={from}
                onChange={(e) => edit(() => setTo(e.target.value))}
              />
            )}
          </Field>
        </fieldset>

        <div className="row">
          <button
            type="submit"
            className="schedule-button"
            disabled={!props.approved || apply.isPending}
          >
            Preview
          </button>
          <button
            type="button"
            className="button small"
            disabled={!props.approved || apply.isPending}
            onClick={() => run(false)}
          >
            Publish pattern
          </button>
          {apply.isPending && (
            <span className="muted small" role="status">
              {apply.variables?.dryRun ? "Counting…" : "Publishing…"}
            </span>
          )}
        </div>

        {apply.isError &&
          (Object.keys(errors).length === 0 ? (
            <p className="schedule-alert" role="alert">
              {apply.error.message}
            </p>
          ) : (
            <p className="schedule-alert" role="alert">
              Please correct the marked fields.
              {otherErrors.length > 0 && ` ${otherErrors.join(" ")}`}
            </p>
          ))}
        {result && (
          <p
            className={wasDryRun ? "schedule-preview" : "schedule-preview is-done"}
            role="status"
            data-testid="pattern-result"
          >
            {`${wasDryRun ? "This opens" : "Published: opened"} ${plural(result.published, "new half hour", "new half hours")} (${result.alreadyPublished} already open, ${result.skipped} reserved or locked left alone).`}
          </p>
        )}
      </form>
    </section>
  );
}

interface FieldErrorInfo {
  id: string;
  text: string;
}

/** A label, its control and the server's message about it, wired for assistive technology. */
function Field(props: {
  id: string;
  label: string;
  error: FieldErrorInfo | null;
  children: (control: {
    id: string;
    "aria-invalid": boolean;
    "aria-describedby": string | undefined;
  }) => ReactNode;
}) {
  return (
    <div className="schedule-field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        "aria-invalid": !!props.error,
        "aria-describedby": props.error?.id,
      })}
      {props.error && (
        <span className="schedule-field-error" id={props.error.id}>
          {props.error.text}
        </span>
      )}
    </div>
  );
}
