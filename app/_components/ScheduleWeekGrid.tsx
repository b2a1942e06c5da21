"use client";

import {
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import {
  formatLocalDate,
  type GridDay,
  type GridModel,
  type GridSlot,
  inSelection,
  isEligible,
  type ScheduleMode,
  type Selection,
  STATE_TEXT,
} from "./ScheduleModel";

const VISIBLE_TEXT = { 0: "", 1: "Free", 2: "Reserved", 3: "Locked" } as const;

/** Where the grid scrolls to when a week opens: the first hour in use, else 07:00. */
const DEFAULT_FIRST_ROW = "07:00";

/**
 * The week as a grid: one column per local day, one row per local start time. Cells are
 * buttons with a roving tabindex (arrows move, Shift+Up/Down extend, Enter/Space apply);
 * a pointer drag down one column selects a time range; `onApply` gets the selection.
 */
export function ScheduleWeekGrid(props: {
  grid: GridModel;
  mode: ScheduleMode;
  nowMs: number;
  today: string;
  timeZone: string;
  onApply: (day: GridDay, selection: Selection) => void;
}) {
  const { grid, mode, nowMs, today, onApply } = props;
  const [selection, setSelection] = useState<Selection | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragRef = useRef<Selection | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const scrollRef = useRef<HTMLDivElement>(null);
  const scrolledWeek = useRef<string | null>(null);
  const weekStart = grid.days[0]?.date ?? "";

  const allSlots = grid.days.flatMap((d) => d.visual);
  const defaultKey = (allSlots.find((s) => s.ms >= nowMs) ?? allSlots[0])?.key ?? null;
  const activeKey = focusKey && allSlots.some((s) => s.key === focusKey) ? focusKey : defaultKey;

  // A new week: forget the selection and scroll to the part of the day in use.
  useLayoutEffect(() => {
    if (scrolledWeek.current === weekStart) return;
    scrolledWeek.current = weekStart;
    setSelection(null);
    const used = grid.days
      .flatMap((d) => d.slots)
      .filter((s) => s.state !== 0)
      .map((s) => s.label)
      .sort()[0];
    const target = used && used < DEFAULT_FIRST_ROW ? used : DEFAULT_FIRST_ROW;
    const box = scrollRef.current;
    const row = box?.querySelector<HTMLElement>(
      `tr[data-row="${grid.rows.find((r) => r >= target) ?? grid.rows[0]}"]`,
    );
    const head = box?.querySelector("thead");
    if (box && row) box.scrollTop = row.offsetTop - (head?.offsetHeight ?? 0);
  }, [weekStart, grid]);

  // A drag ends wherever the pointer is released; a cancelled pointer (touch scrolling) applies nothing.
  useEffect(() => {
    if (!dragging) return;
    const finish = (apply: boolean) => {
      const sel = dragRef.current;
      dragRef.current = null;
      setDragging(false);
      setSelection(null);
      const day = sel ? grid.days[sel.day] : undefined;
      if (apply && sel && day) onApply(day, sel);
    };
    const up = () => finish(true);
    const cancel = () => finish(false);
    const onEscape = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape") finish(false);
    };
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", cancel);
    window.addEventListener("keydown", onEscape);
    return () => {
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", cancel);
      window.removeEventListener("keydown", onEscape);
    };
  }, [dragging, grid, onApply]);

  const focusSlot = (slot: GridSlot | undefined) => {
    if (!slot) return;
    setFocusKey(slot.key);
    buttons.current.get(slot.key)?.focus();
  };

  const onPointerDown = (e: PointerEvent<HTMLButtonElement>, slot: GridSlot) => {
    if (e.button !== 0) return;
    // Touch captures the pointer to the first cell; release it so the others see it enter.
    if (e.currentTarget.hasPointerCapture(e.pointerId)) {
      e.currentTarget.releasePointerCapture(e.pointerId);
    }
    const sel = { day: slot.day, anchor: slot.ms, current: slot.ms };
    dragRef.current = sel;
    setSelection(sel);
    setDragging(true);
    setFocusKey(slot.key);
  };

  const onPointerEnter = (slot: GridSlot) => {
    const sel = dragRef.current;
    if (!sel || sel.day !== slot.day) return;
    const next = { ...sel, current: slot.ms };
    dragRef.current = next;
    setSelection(next);
  };

  // Pointer clicks are handled by the drag; a click with detail 0 comes from Enter/Space
  // (or assistive technology) on the focused cell.
  const onClick = (e: MouseEvent<HTMLButtonElement>, slot: GridSlot) => {
    if (e.detail !== 0) return;
    const sel =
      selection && inSelection(selection, slot)
        ? selection
        : { day: slot.day, anchor: slot.ms, current: slot.ms };
    setSelection(null);
    const day = grid.days[slot.day];
    if (day) onApply(day, sel);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, slot: GridSlot) => {
    const day = grid.days[slot.day];
    if (!day) return;
    const position = day.visual.indexOf(slot);
    let target: GridSlot | undefined;
    switch (e.key) {
      case "ArrowUp":
        target = day.visual[position - 1];
        break;
      case "ArrowDown":
        target = day.visual[position + 1];
        break;
      case "ArrowLeft":
      case "ArrowRight": {
        const other = grid.days[slot.day + (e.key === "ArrowLeft" ? -1 : 1)];
        if (other) target = sameRow(grid, other, slot);
        break;
      }
      case "Home":
        target = e.ctrlKey ? grid.days[0]?.visual[0] : day.visual[0];
        break;
      case "End":
        target = e.ctrlKey ? grid.days.at(-1)?.visual.at(-1) : day.visual.at(-1);
        break;
      case "Escape":
        if (selection) {
          e.preventDefault();
          setSelection(null);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (!target) return;
    const extend = e.shiftKey && (e.key === "ArrowUp" || e.key === "ArrowDown");
    if (extend) {
      const anchor = selection && selection.day === slot.day ? selection.anchor : slot.ms;
      setSelection({ day: slot.day, anchor, current: target.ms });
    } else {
      setSelection(null);
    }
    focusSlot(target);
  };

  return (
    <div className="schedule-scroll" ref={scrollRef}>
      <table
        className={`schedule-grid${dragging ? " is-dragging" : ""}`}
        aria-label={`Week of ${formatLocalDate(weekStart, { day: "numeric", month: "long", year: "numeric" })}`}
        aria-describedby="schedule-mode-hint"
        data-testid="schedule-grid"
      >
        <thead>
          <tr>
            <th scope="col" className="schedule-corner">
              <span className="sr-only">Time</span>
            </th>
            {grid.days.map((d) => (
              <th
                key={d.date}
                scope="col"
                data-date={d.date}
                aria-current={d.date === today ? "date" : undefined}
                className={d.date === today ? "is-today" : undefined}
              >
                <span className="schedule-weekday">
                  {formatLocalDate(d.date, { weekday: "short" })}
                </span>
                <span className="schedule-date">
                  {formatLocalDate(d.date, { day: "numeric", month: "short" })}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((label) => (
            <tr
              key={label}
              data-row={label}
              className={Number(label.slice(3)) < 30 ? "schedule-hour" : "schedule-half"}
            >
              <th scope="row" className="schedule-time">
                {label}
              </th>
              {grid.days.map((d) => {
                const list = d.byLabel.get(label);
                return (
                  <td key={d.date} className={list ? undefined : "schedule-gap"}>
                    {list ? (
                      <div className="schedule-stack">
                        {list.map((slot) => {
                          const past = slot.ms < nowMs;
                          const selected = inSelection(selection, slot);
                          return (
                            <button
                              key={slot.key}
                              ref={(el) => {
                                if (el) buttons.current.set(slot.key, el);
                                return () => {
                                  buttons.current.delete(slot.key);
                                };
                              }}
                              type="button"
                              className="schedule-slot"
                              data-slot={slot.key}
                              data-state={slot.state}
                              data-past={past || undefined}
                              data-selected={
                                selected
                                  ? !past && isEligible(slot, mode, nowMs)
                                    ? "eligible"
                                    : "ineligible"
                                  : undefined
                              }
                              aria-disabled={past || slot.state === 2 || undefined}
                              aria-label={slotLabel(d, slot, past)}
                              tabIndex={slot.key === activeKey ? 0 : -1}
                              onPointerDown={(e) => onPointerDown(e, slot)}
                              onPointerEnter={() => onPointerEnter(slot)}
                              onClick={(e) => onClick(e, slot)}
                              onKeyDown={(e) => onKeyDown(e, slot)}
                              onFocus={() => setFocusKey(slot.key)}
                            >
                              <span aria-hidden="true">
                                {VISIBLE_TEXT[slot.state]}
                                {slot.offset && (
                                  <span className="schedule-offset">{slot.offset}</span>
                                )}
                              </span>
                            </button>
                          );
                        })}
                      </div>
                    ) : (
                      <span className="sr-only">
                        {formatLocalDate(d.date)} {label} does not exist (clock change)
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function slotLabel(day: GridDay, slot: GridSlot, past: boolean): string {
  const when = `${formatLocalDate(day.date)} ${slot.label}${slot.offset ? ` (${slot.offset})` : ""}`;
  return `${when}, ${STATE_TEXT[slot.state]}${past ? ", past" : ""}`;
}

/** The cell of `day` in the row of `slot` (or the nearest row that has one). */
function sameRow(grid: GridModel, day: GridDay, slot: GridSlot): GridSlot | undefined {
  const row = grid.rows.indexOf(slot.label);
  const stack = grid.days[slot.day]?.byLabel.get(slot.label)?.indexOf(slot) ?? 0;
  for (let distance = 0; distance < grid.rows.length; distance++) {
    for (const r of [row - distance, row + distance]) {
      const list = day.byLabel.get(grid.rows[r] ?? "");
      if (list?.length) return list[Math.min(stack, list.length - 1)];
    }
  }
  return undefined;
}
