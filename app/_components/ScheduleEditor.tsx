"use client";

import { useIsMutating, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { localToday } from "@/server/inventory/weeklyAvailability";
import { useTRPC } from "../_trpc/client";
import { useNow } from "./clientTime";
import {
  addDays,
  buildGrid,
  eligibleRuns,
  formatLocalDate,
  type GridDay,
  inSelection,
  MODE_ORDER,
  MODES,
  mondayOf,
  plural,
  type ScheduleMode,
  type Selection,
  SLOT_MS,
  type SlotRun,
  type SlotState,
  wallClock,
  withStates,
} from "./ScheduleModel";
import { SchedulePatternForm } from "./SchedulePatternForm";
import { ScheduleWeekGrid } from "./ScheduleWeekGrid";
import { TeacherAreaNotice } from "./TeacherAreaNotice";

const GRID_MUTATION_KEY = ["schedule", "grid"];

/** The teacher's calendar editor: week grid, editing modes and the weekly pattern form. */
export function ScheduleEditor() {
  const trpc = useTRPC();
  const me = useQuery(trpc.teachers.me.queryOptions());

  if (me.isPending)
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  if (me.isError) {
    return (
      <TeacherAreaNotice
        error={me.error}
        path="/dashboard/schedule"
        purpose="manage your schedule"
        forbidden="The schedule is for teachers."
      />
    );
  }
  return <ScheduleWorkspace timeZone={me.data.timeZone} approved={me.data.status === "approved"} />;
}

interface ChangeVariables {
  mode: ScheduleMode;
  run: SlotRun;
  weekStart: string;
}

function ScheduleWorkspace({ timeZone, approved }: { timeZone: string; approved: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const nowMs = useNow(30_000);
  const today = localToday(timeZone, new Date(nowMs));
  const thisWeek = mondayOf(today);
  const [weekStart, setWeekStart] = useState(thisWeek);
  const [mode, setMode] = useState<ScheduleMode>(approved ? "publish" : "lock");
  const [alert, setAlert] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  const week = useQuery(trpc.availability.week.queryOptions({ weekStart }));
  const grid = useMemo(() => (week.data ? buildGrid(week.data) : null), [week.data]);

  // The neighbouring weeks load in the background, so paging is instant.
  useEffect(() => {
    for (const w of [addDays(weekStart, -7), addDays(weekStart, 7)]) {
      void queryClient.prefetchQuery(trpc.availability.week.queryOptions({ weekStart: w }));
    }
  }, [queryClient, trpc, weekStart]);

  const procedures = {
    publish: trpc.schedule.publish.mutationOptions(),
    unpublish: trpc.schedule.unpublish.mutationOptions(),
    lock: trpc.schedule.lock.mutationOptions(),
    unlock: trpc.schedule.unlock.mutationOptions(),
  };
  const inFlight = useRef(0);
  const saving = useIsMutating({ mutationKey: GRID_MUTATION_KEY }) > 0;

  const { mutate } = useMutation({
    mutationKey: GRID_MUTATION_KEY,
    // One at a time, in order: a lock and the unlock right after it must reach the server so.
    scope: { id: "schedule-grid" },
    mutationFn: (v: ChangeVariables, context) =>
      procedures[v.mode].mutationFn!({ start: v.run.start, slots: v.run.slots }, context),
    // Optimistic: the cells change at once; each remembers what it was, for a rollback.
    onMutate: async (v) => {
      inFlight.current += 1;
      const queryKey = trpc.availability.week.queryKey({ weekStart: v.weekStart });
      await queryClient.cancelQueries({ queryKey });
      const before = new Map<string, SlotState>();
      queryClient.setQueryData(queryKey, (old) =>
        old
          ? withStates(old, v.run, (state, key) => {
              before.set(key, state);
              return MODES[v.mode].to;
            })
          : old,
      );
      return { before };
    },
    onError: (error, v, context) => {
      const queryKey = trpc.availability.week.queryKey({ weekStart: v.weekStart });
      queryClient.setQueryData(queryKey, (old) =>
        old && context
          ? withStates(old, v.run, (state, key) =>
              state === MODES[v.mode].to ? (context.before.get(key) ?? state) : state,
            )
          : old,
      );
      setStatus("");
      setAlert(error.message);
    },
    onSuccess: (_data, v) => {
      const from = wallClock(v.run.start, timeZone);
      const to = wallClock(v.run.start.getTime() + v.run.slots * SLOT_MS, timeZone);
      const day = formatLocalDate(localToday(timeZone, v.run.start));
      setStatus(
        `${plural(v.run.slots, "half hour", "half hours")} ${MODES[v.mode].done}: ${day} ${from}–${to}. Saved.`,
      );
    },
    onSettled: async () => {
      inFlight.current -= 1;
      // Refetch once the last change of a gesture is answered, so no answer undoes another.
      if (inFlight.current === 0) {
        await Promise.all([
          queryClient.invalidateQueries(trpc.availability.week.pathFilter()),
          queryClient.invalidateQueries(trpc.teachers.me.queryFilter()),
        ]);
      }
    },
  });

  const onApply = useCallback(
    (day: GridDay, selection: Selection) => {
      if (!week.data) return;
      const runs = eligibleRuns(day, selection, mode, Date.now());
      if (runs.length === 0) {
        setStatus(whyNothing(day, selection, mode));
        return;
      }
      setAlert(null);
      for (const run of runs) mutate({ mode, run, weekStart: week.data.weekStart });
    },
    [mutate, mode, week.data],
  );

  const counts = useMemo(() => {
    const n = [0, 0, 0, 0];
    for (const d of grid?.days ?? []) for (const s of d.slots) n[s.state] = (n[s.state] ?? 0) + 1;
    return n;
  }, [grid]);

  return (
    <div className="schedule">
      <p className="schedule-zone">
        Times in <strong data-testid="schedule-zone">{timeZone}</strong>
        <span className="muted"> · today is {formatLocalDate(today)}</span>
      </p>
      {!approved && (
        <p className="notice">
          Your profile is not approved yet, so you cannot publish time. You can still lock the half
          hours you will not teach.
        </p>
      )}

      <section className="card schedule-card" aria-labelledby="schedule-week-title">
        <div className="schedule-toolbar">
          <h2 id="schedule-week-title" className="schedule-week-title">
            {formatLocalDate(weekStart, { day: "numeric", month: "short" })} –{" "}
            {formatLocalDate(addDays(weekStart, 6), {
              day: "numeric",
              month: "short",
              year: "numeric",
            })}
          </h2>
          <nav className="schedule-weeknav" aria-label="Weeks">
            <button
              type="button"
              className="schedule-button"
              onClick={() => setWeekStart(addDays(weekStart, -7))}
            >
              ← Previous week
            </button>
            <button
              type="button"
              className="schedule-button"
              disabled={weekStart === thisWeek}
              onClick={() => setWeekStart(thisWeek)}
            >
              This week
            </button>
            <button
              type="button"
              className="schedule-button"
              onClick={() => setWeekStart(addDays(weekStart, 7))}
            >
              Next week →
            </button>
          </nav>
        </div>

        <div className="schedule-toolbar">
          <fieldset className="schedule-modes">
            <legend className="sr-only">What a click or drag does</legend>
            {MODE_ORDER.map((m) => (
              <label key={m} className="schedule-mode" data-mode={m}>
                <input
                  type="radio"
                  name="schedule-mode"
                  value={m}
                  checked={mode === m}
                  disabled={m === "publish" && !approved}
                  onChange={() => setMode(m)}
                />
                <span>{MODES[m].label}</span>
              </label>
            ))}
          </fieldset>
          <ul className="schedule-legend" aria-label="This week">
            <li>
              <span className="schedule-swatch" data-state="0" aria-hidden="true" />
              {counts[0]} unpublished
            </li>
            <li>
              <span className="schedule-swatch" data-state="1" aria-hidden="true" />
              {counts[1]} free
            </li>
            <li>
              <span className="schedule-swatch" data-state="2" aria-hidden="true" />
              {counts[2]} reserved
            </li>
            <li>
              <span className="schedule-swatch" data-state="3" aria-hidden="true" />
              {counts[3]} locked
            </li>
          </ul>
        </div>
        <p id="schedule-mode-hint" className="muted small schedule-hint">
          {MODES[mode].hint} Keyboard: arrow keys move, Shift+↑/↓ selects, Enter applies.
        </p>

        {alert && (
          <div className="schedule-alert" role="alert">
            <span>{alert}</span>
            <button type="button" className="link-button" onClick={() => setAlert(null)}>
              Dismiss
            </button>
          </div>
        )}
        <p className="small schedule-status" role="status" data-testid="schedule-status">
          {saving ? "Saving…" : status}
        </p>

        {week.isPending ? (
          <div
            className="skeleton tall"
            role="status"
            aria-busy="true"
            aria-label="Loading the week"
          />
        ) : week.isError ? (
          <p className="error" role="alert">
            This week could not be loaded: {week.error.message}{" "}
            <button type="button" className="link-button" onClick={() => week.refetch()}>
              Retry
            </button>
          </p>
        ) : (
          grid && (
            <ScheduleWeekGrid
              grid={grid}
              mode={mode}
              nowMs={nowMs}
              today={today}
              timeZone={timeZone}
              onApply={onApply}
            />
          )
        )}
      </section>

      <SchedulePatternForm timeZone={timeZone} today={today} approved={approved} />
    </div>
  );
}

/** Why a click or drag changed nothing, in words. */
function whyNothing(day: GridDay, selection: Selection, mode: ScheduleMode): string {
  const chosen = day.slots.filter((s) => inSelection(selection, s));
  const now = Date.now();
  if (chosen.length > 0 && chosen.every((s) => s.ms < now)) return "That time has already begun.";
  if (chosen.some((s) => s.state === 2) && chosen.every((s) => s.state === 2 || s.ms < now)) {
    return "Reserved half hours belong to a student's booking and cannot be changed here.";
  }
  const need = {
    publish: "Only unpublished half hours can be published.",
    unpublish: "Only free half hours can be unpublished.",
    lock: "Only unpublished or free half hours can be locked.",
    unlock: "Only locked half hours can be unlocked.",
  } as const;
  return `Nothing changed. ${need[mode]}`;
}
