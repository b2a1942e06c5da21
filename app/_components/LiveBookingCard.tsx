"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useState } from "react";
import { bookableStarts } from "../../server/inventory/bookableStarts";
import { useTRPC } from "../_trpc/client";
import { dayKey, formatDay, formatMoney, formatTime } from "./format";

const DAYS_SHOWN = 14;
/** Viewer days with openings shown at once (the rest is counted below the chips). */
const DAY_GROUPS_SHOWN = 7;
const SLOT_MINUTES = 30;
/** Lesson lengths offered, in half hours (30, 60, 90, 120 minutes). */
const LENGTHS = [1, 2, 3, 4] as const;
type LessonLength = (typeof LENGTHS)[number];
/** Every free half hour is a start at 30 minutes, so newly published time shows up as is. */
const DEFAULT_LENGTH: LessonLength = 1;

const minutes = (length: number) => length * SLOT_MINUTES;

/**
 * The live part of a static studio page: current prices and the next free slots, fetched
 * after load and shown in the viewer's time zone (changeable). The student picks a lesson
 * length and a start; only starts where the whole lesson is free are offered.
 */
export function LiveBookingCard(props: { teacherId: string; teacherTimeZone: string }) {
  const trpc = useTRPC();
  const price = useQuery({
    ...trpc.teachers.priceCard.queryOptions({ id: props.teacherId }),
    refetchInterval: retryWhileFailing,
  });
  const slots = useQuery({
    ...trpc.availability.free.queryOptions({ teacherId: props.teacherId, days: DAYS_SHOWN }),
    refetchInterval: retryWhileFailing,
  });
  const [localZone, setLocalZone] = useState<string | null>(null);
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => {
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    setLocalZone(resolved);
    setZone(resolved);
  }, []);
  const zones = useMemo(() => {
    const all = new Set([localZone ?? "UTC", props.teacherTimeZone, "UTC"]);
    return [...all];
  }, [localZone, props.teacherTimeZone]);

  const [length, setLength] = useState<LessonLength>(DEFAULT_LENGTH);
  const [allDays, setAllDays] = useState(false);
  /** ISO start of the chosen lesson; only counts while that start is still bookable. */
  const [picked, setPicked] = useState<string | null>(null);

  const startsByLength = useMemo(() => {
    const free = slots.data?.slots ?? [];
    return new Map(LENGTHS.map((n) => [n, bookableStarts(free, n)] as const));
  }, [slots.data]);
  const starts = startsByLength.get(length) ?? [];
  const selected = picked ? (starts.find((at) => at.toISOString() === picked) ?? null) : null;

  const byDay = useMemo(() => {
    const groups = new Map<string, Date[]>();
    if (!zone) return groups;
    for (const at of starts) {
      const key = dayKey(at, zone);
      const list = groups.get(key) ?? [];
      list.push(at);
      groups.set(key, list);
    }
    return groups;
  }, [starts, zone]);

  const ids = useId();
  const noteId = `${ids}-checkout-note`;
  const freeCount = slots.data?.slots.length ?? 0;
  /** The longest length shorter than the chosen one that has openings, to suggest. */
  const shorter = [...LENGTHS]
    .reverse()
    .find((n) => n < length && (startsByLength.get(n)?.length ?? 0) > 0);

  return (
    <div className="card live-card" data-testid="live-card">
      <h2>Prices</h2>
      {price.isPending ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading prices" />
      ) : price.isError ? (
        <Unavailable
          testId="prices-unavailable"
          message="Live prices are temporarily unavailable."
          onRetry={() => price.refetch()}
        />
      ) : (
        <ul className="price-list" data-testid="price-card">
          {price.data.map((c) => (
            <li key={c.courseId}>
              <div className="row between">
                <span>{c.title}</span>
                <strong>{formatMoney(c.pricePerHour, c.currency)}/h</strong>
              </div>
              <span className="muted small">
                {c.packages
                  .filter((p) => p.hours > 1)
                  .map((p) => `${p.hours} h ${formatMoney(p.amount, c.currency)}`)
                  .join(" · ") || "Single lessons"}
              </span>
            </li>
          ))}
        </ul>
      )}

      <div className="row between">
        <h2>Free times</h2>
        {zone && (
          <label className="small">
            <span className="sr-only">Time zone</span>
            <select value={zone} onChange={(e) => setZone(e.target.value)} aria-label="Time zone">
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      <fieldset className="lesson-length" data-testid="lesson-length">
        <legend className="lesson-length-legend">Lesson length</legend>
        <div className="segmented">
          {LENGTHS.map((n) => {
            const available = startsByLength.get(n)?.length ?? 0;
            return (
              <label
                key={n}
                className="segment"
                data-empty={slots.isSuccess && available === 0 ? "" : undefined}
              >
                <input
                  type="radio"
                  name={`${ids}-length`}
                  value={minutes(n)}
                  checked={length === n}
                  onChange={() => setLength(n)}
                />
                <span>
                  {minutes(n)} min
                  {slots.isSuccess && available === 0 && (
                    <span className="sr-only"> (no openings)</span>
                  )}
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>

      {slots.isPending || !zone ? (
        <div
          className="skeleton tall"
          role="status"
          aria-busy="true"
          aria-label="Loading free times"
        />
      ) : slots.isError ? (
        <Unavailable
          testId="free-slots-unavailable"
          message="Live availability is temporarily unavailable."
          onRetry={() => slots.refetch()}
        />
      ) : freeCount === 0 ? (
        <p className="empty-slots muted">
          No free time in the next {DAYS_SHOWN} days. Check back later: teachers publish new times
          every week.
        </p>
      ) : (
        <div className="slot-days" data-testid="free-slots">
          {byDay.size === 0 ? (
            <p className="empty-slots">
              No {minutes(length)}-minute openings in the next {DAYS_SHOWN} days
              {shorter ? (
                <>
                  {" "}
                  — try a shorter lesson.{" "}
                  <button type="button" className="link-button" onClick={() => setLength(shorter)}>
                    Show {minutes(shorter)}-minute times
                  </button>
                </>
              ) : (
                "."
              )}
            </p>
          ) : (
            <>
              {[...byDay.entries()]
                .slice(0, allDays ? undefined : DAY_GROUPS_SHOWN)
                .map(([key, list]) => (
                  <fieldset key={key} className="slot-day">
                    <legend className="slot-day-label">{formatDay(list[0]!, zone)}</legend>
                    <ul className="slot-chips">
                      {list.map((at) => {
                        const startIso = at.toISOString();
                        const isSelected = selected?.toISOString() === startIso;
                        return (
                          <li key={startIso}>
                            <button
                              type="button"
                              className="slot-chip"
                              data-slot={startIso}
                              aria-pressed={isSelected}
                              onClick={() => setPicked(isSelected ? null : startIso)}
                            >
                              {formatTime(at, zone)}
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  </fieldset>
                ))}
              <p className="muted small">
                {starts.length} {starts.length === 1 ? "start time" : "start times"} for a{" "}
                {minutes(length)}-minute lesson in the next {DAYS_SHOWN} days.
                {byDay.size > DAY_GROUPS_SHOWN && (
                  <>
                    {" "}
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={allDays}
                      onClick={() => setAllDays(!allDays)}
                    >
                      {allDays
                        ? `Show the first ${DAY_GROUPS_SHOWN} days only`
                        : `Show all ${byDay.size} days`}
                    </button>
                  </>
                )}
              </p>
            </>
          )}
        </div>
      )}

      {slots.isSuccess && zone && freeCount > 0 && (
        <div className="booking-selection">
          <p className="selection-summary" data-testid="selection" aria-live="polite">
            {selected ? (
              <SelectionText
                start={selected}
                length={length}
                zone={zone}
                zoneLabel={
                  zone === localZone
                    ? "your time zone"
                    : zone === props.teacherTimeZone
                      ? "teacher's time zone"
                      : "time zone"
                }
              />
            ) : (
              <span className="muted">Pick a start time above.</span>
            )}
          </p>
          <button type="button" className="button" disabled aria-describedby={noteId}>
            Continue to checkout
          </button>
          <p className="muted small" id={noteId}>
            Checkout opens soon.
          </p>
        </div>
      )}
    </div>
  );
}

/**
 * While a widget query is failing (API or database down), try again every few seconds on top of
 * the client's per-request retries, so the widget heals by itself when the service is back.
 */
const RETRY_WHILE_FAILING_MS = 5_000;
const retryWhileFailing = (query: { state: { status: string } }) =>
  query.state.status === "error" ? RETRY_WHILE_FAILING_MS : false;

/**
 * A widget's error state: what is missing, that it heals by itself, and a manual retry. The
 * text stays the same while retrying: an alert whose text changed would be announced again.
 */
function Unavailable(props: { testId: string; message: string; onRetry: () => void }) {
  return (
    <p className="error" role="alert" data-testid={props.testId}>
      {props.message} <span className="muted small">Retrying automatically.</span>{" "}
      <button type="button" className="link-button" onClick={props.onRetry}>
        Retry
      </button>
    </p>
  );
}

/** "Mon 24 Nov, 14:30–15:30 (60 min) · your time zone Europe/Paris". */
function SelectionText(props: { start: Date; length: number; zone: string; zoneLabel: string }) {
  const { start, length, zone } = props;
  const end = new Date(start.getTime() + minutes(length) * 60_000);
  // A lesson ending after the viewer's midnight names the end day too.
  const endsNextDay = dayKey(new Date(end.getTime() - 1), zone) !== dayKey(start, zone);
  return (
    <>
      <strong>
        {formatDay(start, zone)}, {formatTime(start, zone)}–
        {endsNextDay ? `${formatDay(end, zone)}, ` : ""}
        {formatTime(end, zone)}
      </strong>{" "}
      ({minutes(length)} min) · {props.zoneLabel} {zone.replace(/_/g, " ")}
    </>
  );
}
