import { Temporal } from "temporal-polyfill";

/**
 * Pure helpers for the teacher's week grid: no React, no I/O. Slot states are the 2-bit
 * inventory states of server/inventory/slotBitmap.ts.
 */
export type SlotState = 0 | 1 | 2 | 3;
export const SLOT_MS = 30 * 60_000;

export const STATE_TEXT: Record<SlotState, string> = {
  0: "unpublished",
  1: "free",
  2: "reserved",
  3: "locked",
};

export type ScheduleMode = "publish" | "unpublish" | "lock" | "unlock";

/** The teacher's four actions, mirroring server/inventory/slotTransitions.ts. */
export const MODES: Record<
  ScheduleMode,
  { label: string; from: readonly SlotState[]; to: SlotState; hint: string; done: string }
> = {
  publish: {
    label: "Publish",
    from: [0],
    to: 1,
    hint: "Click or drag down a day to open unpublished half hours for booking.",
    done: "opened",
  },
  unpublish: {
    label: "Unpublish",
    from: [1],
    to: 0,
    hint: "Click or drag down a day to take free half hours off sale.",
    done: "taken off sale",
  },
  lock: {
    label: "Lock",
    from: [0, 1],
    to: 3,
    hint: "Click or drag down a day to block half hours (unpublished or free).",
    done: "locked",
  },
  unlock: {
    label: "Unlock",
    from: [3],
    to: 0,
    hint: "Click or drag down a day to unblock locked half hours; they become unpublished.",
    done: "unlocked",
  },
};

export const MODE_ORDER: readonly ScheduleMode[] = ["publish", "unpublish", "lock", "unlock"];

export interface WeekData {
  teacherId: string;
  timeZone: string;
  weekStart: string;
  days: { date: string; slots: { start: Date; state: SlotState }[] }[];
}

export interface GridSlot {
  key: string;
  start: Date;
  ms: number;
  state: SlotState;
  /** Local wall-clock time of the slot start, "HH:MM". */
  label: string;
  /** Set when another slot of the same day has the same label (fall-back): "GMT+2". */
  offset: string | null;
  day: number;
}

export interface GridDay {
  date: string;
  /** In time order. */
  slots: GridSlot[];
  byLabel: Map<string, GridSlot[]>;
  /** In the order they are drawn: by row, then stacked by time. */
  visual: GridSlot[];
}

export interface GridModel {
  rows: string[];
  days: GridDay[];
}

const pad = (n: number) => String(n).padStart(2, "0");

export function wallClock(at: Date | number, timeZone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(+at).toZonedDateTimeISO(timeZone);
  return `${pad(z.hour)}:${pad(z.minute)}`;
}

function offsetName(at: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "shortOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "";
}

/**
 * Rows are the sorted union of the local start times across the week, so a spring-forward day
 * leaves gaps, a fall-back day puts two slots in one cell, and :15/:45 zones get their rows.
 */
export function buildGrid(week: WeekData): GridModel {
  const labels = new Set<string>();
  const days: GridDay[] = week.days.map((d, day) => {
    const byLabel = new Map<string, GridSlot[]>();
    const slots = d.slots.map((s) => {
      const slot: GridSlot = {
        key: s.start.toISOString(),
        start: s.start,
        ms: s.start.getTime(),
        state: s.state,
        label: wallClock(s.start, week.timeZone),
        offset: null,
        day,
      };
      labels.add(slot.label);
      const list = byLabel.get(slot.label) ?? [];
      list.push(slot);
      byLabel.set(slot.label, list);
      return slot;
    });
    for (const list of byLabel.values()) {
      if (list.length > 1) for (const s of list) s.offset = offsetName(s.start, week.timeZone);
    }
    return { date: d.date, slots, byLabel, visual: [] };
  });
  const rows = [...labels].sort();
  for (const d of days) d.visual = rows.flatMap((label) => d.byLabel.get(label) ?? []);
  return { rows, days };
}

export interface Selection {
  day: number;
  anchor: number;
  current: number;
}

export function selectionBounds(sel: Selection): [number, number] {
  return [Math.min(sel.anchor, sel.current), Math.max(sel.anchor, sel.current)];
}

export function inSelection(sel: Selection | null, slot: GridSlot): boolean {
  if (!sel || sel.day !== slot.day) return false;
  const [lo, hi] = selectionBounds(sel);
  return slot.ms >= lo && slot.ms <= hi;
}

export function isEligible(slot: GridSlot, mode: ScheduleMode, nowMs: number): boolean {
  return slot.ms >= nowMs && MODES[mode].from.includes(slot.state);
}

export interface SlotRun {
  start: Date;
  slots: number;
}

/**
 * The consecutive runs of slots a mode may change within a selection of one day: each run is
 * all in the mode's from-state, in the future and gap-free, so every mutation can succeed.
 */
export function eligibleRuns(
  day: GridDay,
  sel: Selection,
  mode: ScheduleMode,
  nowMs: number,
): SlotRun[] {
  const [lo, hi] = selectionBounds(sel);
  const runs: SlotRun[] = [];
  let run: SlotRun | null = null;
  let lastMs = Number.NaN;
  for (const slot of day.slots) {
    if (slot.ms < lo || slot.ms > hi) continue;
    if (!isEligible(slot, mode, nowMs)) {
      run = null;
      continue;
    }
    if (run && slot.ms === lastMs + SLOT_MS) run.slots += 1;
    else {
      run = { start: slot.start, slots: 1 };
      runs.push(run);
    }
    lastMs = slot.ms;
  }
  return runs;
}

export function runContains(run: SlotRun, ms: number): boolean {
  const from = run.start.getTime();
  return ms >= from && ms < from + run.slots * SLOT_MS;
}

/** The week with each slot of the run set to what `next` says (optimistic update, rollback). */
export function withStates(
  week: WeekData,
  run: SlotRun,
  next: (current: SlotState, key: string) => SlotState,
): WeekData {
  return {
    ...week,
    days: week.days.map((d) => ({
      ...d,
      slots: d.slots.map((s) =>
        runContains(run, s.start.getTime())
          ? { ...s, state: next(s.state, s.start.toISOString()) }
          : s,
      ),
    })),
  };
}

export function mondayOf(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** A local calendar date as text ("Mon 24 Nov"), independent of any zone. */
export function formatLocalDate(
  date: string,
  options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" },
): string {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** "00:00", "00:30", … "23:30" (and "24:00" when `withMidnight`). */
export function halfHourTimes(withMidnight: boolean): string[] {
  const times = Array.from(
    { length: 48 },
    (_, i) => `${pad(Math.floor(i / 2))}:${pad((i % 2) * 30)}`,
  );
  return withMidnight ? [...times.slice(1), "24:00"] : times;
}

export const WEEKDAYS = [
  { value: 1, label: "Monday" },
  { value: 2, label: "Tuesday" },
  { value: 3, label: "Wednesday" },
  { value: 4, label: "Thursday" },
  { value: 5, label: "Friday" },
  { value: 6, label: "Saturday" },
  { value: 7, label: "Sunday" },
] as const;

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
