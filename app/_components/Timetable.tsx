"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import { useCallback, useId, useMemo, useState } from "react";
import { Temporal } from "temporal-polyfill";
import { useTRPC } from "../_trpc/client";
import { useLocalTimeZone, useNow } from "./clientTime";
import { formatDay } from "./format";
import { LessonActions } from "./LessonActions";
import { LessonDetails, LessonOrderLink } from "./LessonDetails";
import { LessonList } from "./LessonList";
import { addDays, formatLocalDate } from "./ScheduleModel";
import {
  layoutWeek,
  listWindows,
  localDate,
  mondayOfInstant,
  splitByTime,
  type TimetableLesson,
  type TimetableViewer,
  weekWindow,
  zoneChoices,
  zoneLabel,
} from "./TimetableModel";
import { WeekTimetable } from "./WeekTimetable";

type View = "list" | "week";
const VIEWS: { value: View; label: string }[] = [
  { value: "list", label: "List" },
  { value: "week", label: "Week" },
];

/** Lessons change when the other party acts too: look again every minute while open. */
const REFRESH_MS = 60_000;

/**
 * A student's or teacher's lessons: a list (upcoming and past) or a week grid, in the viewer's
 * time zone (switchable), with the actions the server allows on each lesson.
 */
export function Timetable(props: {
  viewer: TimetableViewer;
  /** Zones offered besides the viewer's own and UTC (a teacher's planning zone). */
  otherZones?: string[];
}) {
  const { viewer } = props;
  const trpc = useTRPC();
  const id = useId();
  const localZone = useLocalTimeZone();
  const [pickedZone, setPickedZone] = useState<string | null>(null);
  const zone = pickedZone ?? localZone;
  const nowMs = useNow(30_000);
  const [anchorMs] = useState(() => Date.now());
  const windows = useMemo(() => listWindows(anchorMs), [anchorMs]);
  const [view, setView] = useState<View>("list");
  const [pickedWeek, setPickedWeek] = useState<string | null>(null);
  const [selected, setSelected] = useState<TimetableLesson | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const thisWeek = zone ? mondayOfInstant(nowMs, zone) : null;
  const weekStart = pickedWeek ?? thisWeek;

  const upcoming = useQuery({
    ...trpc.lessons.timetable.queryOptions(windows.upcoming),
    refetchInterval: REFRESH_MS,
  });
  const past = useQuery({
    ...trpc.lessons.timetable.queryOptions(view === "list" ? windows.past : skipToken),
    refetchInterval: REFRESH_MS,
  });
  const week = useQuery({
    ...trpc.lessons.timetable.queryOptions(
      view === "week" && zone && weekStart ? weekWindow(weekStart, zone) : skipToken,
    ),
    refetchInterval: REFRESH_MS,
  });

  const onDone = useCallback((message: string) => setAnnouncement(message), []);

  const lists = useMemo(() => {
    if (!upcoming.data) return null;
    // The two windows are disjoint; a lesson started before the anchor may still be on.
    return splitByTime([...upcoming.data, ...(past.data ?? [])], nowMs);
  }, [upcoming.data, past.data, nowMs]);

  const layout = useMemo(
    () => (week.data && weekStart && zone ? layoutWeek(week.data, weekStart, zone) : null),
    [week.data, weekStart, zone],
  );
  // The selection follows fresh data (after an action), and is gone when the lesson is.
  const selectedNow = selected ? (week.data?.find((l) => l.id === selected.id) ?? null) : null;

  if (!zone || upcoming.isPending) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (upcoming.isError) {
    return (
      <p className="notice" role="alert">
        Your timetable could not be loaded: {upcoming.error.message}{" "}
        <button type="button" className="link-button" onClick={() => upcoming.refetch()}>
          Retry
        </button>
      </p>
    );
  }

  const zones = zoneChoices(localZone ?? "UTC", props.otherZones);
  const nextLesson = lists?.upcoming.find((l) => l.status === "booked" || l.status === "held");
  const today = localDate(nowMs, zone);
  const zonedNow = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone);

  return (
    <div className="tt" data-testid="timetable" data-view={view}>
      <div className="tt-toolbar">
        <fieldset className="schedule-modes">
          <legend className="sr-only">View</legend>
          {VIEWS.map((v) => (
            <label key={v.value} className="schedule-mode">
              <input
                type="radio"
                name={`${id}-view`}
                value={v.value}
                checked={view === v.value}
                onChange={() => {
                  setView(v.value);
                  setSelected(null);
                }}
              />
              <span>{v.label}</span>
            </label>
          ))}
        </fieldset>
        <label className="small tt-zone">
          Times in{" "}
          <select
            value={zone}
            onChange={(e) => {
              setPickedZone(e.target.value);
              setPickedWeek(null);
            }}
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                {zoneLabel(z)}
                {z === localZone ? " (your time zone)" : ""}
              </option>
            ))}
          </select>
        </label>
      </div>

      <p role="status" className={announcement ? "tt-announcement" : "sr-only"}>
        {announcement}
      </p>

      {view === "list" ? (
        <LessonList
          upcoming={lists?.upcoming ?? []}
          past={past.data ? (lists?.past ?? []) : null}
          pastError={past.isError ? past.error.message : null}
          viewer={viewer}
          zone={zone}
          onDone={onDone}
        />
      ) : (
        weekStart && (
          <section className="tt-week-view" aria-labelledby={`${id}-week`}>
            <div className="schedule-toolbar">
              <h2 id={`${id}-week`} className="schedule-week-title">
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
                  onClick={() => {
                    setPickedWeek(addDays(weekStart, -7));
                    setSelected(null);
                  }}
                >
                  ← Previous week
                </button>
                <button
                  type="button"
                  className="schedule-button"
                  disabled={weekStart === thisWeek}
                  onClick={() => {
                    setPickedWeek(null);
                    setSelected(null);
                  }}
                >
                  This week
                </button>
                <button
                  type="button"
                  className="schedule-button"
                  onClick={() => {
                    setPickedWeek(addDays(weekStart, 7));
                    setSelected(null);
                  }}
                >
                  Next week →
                </button>
              </nav>
            </div>
            {week.isError ? (
              <p className="error" role="alert">
                This week could not be loaded: {week.error.message}{" "}
                <button type="button" className="link-button" onClick={() => week.refetch()}>
                  Retry
                </button>
              </p>
            ) : !layout ? (
              <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />
            ) : (
              <>
                {week.data?.length === 0 && (
                  <p className="muted tt-week-empty">
                    No lessons this week.
                    {nextLesson && mondayOfInstant(nextLesson.startsAt, zone) !== weekStart && (
                      <>
                        {" "}
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => {
                            setPickedWeek(mondayOfInstant(nextLesson.startsAt, zone));
                            setSelected(nextLesson);
                          }}
                        >
                          Go to the next lesson ({formatDay(nextLesson.startsAt, zone)})
                        </button>
                      </>
                    )}
                  </p>
                )}
                <WeekTimetable
                  layout={layout}
                  today={today}
                  nowMinute={zonedNow.hour * 60 + zonedNow.minute}
                  nowMs={nowMs}
                  viewer={viewer}
                  zone={zone}
                  selectedId={selectedNow?.id ?? null}
                  onSelect={setSelected}
                />
                {selectedNow && (
                  <section
                    className="card tt-selected"
                    aria-label="Selected lesson"
                    data-testid="timetable-selected"
                  >
                    <div className="row between">
                      <LessonDetails lesson={selectedNow} viewer={viewer} zone={zone} />
                      <span className="row">
                        <LessonOrderLink lesson={selectedNow} viewer={viewer} />
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setSelected(null)}
                        >
                          Close
                        </button>
                      </span>
                    </div>
                    <LessonActions
                      lesson={selectedNow}
                      viewer={viewer}
                      zone={zone}
                      onDone={onDone}
                    />
                  </section>
                )}
              </>
            )}
          </section>
        )
      )}
    </div>
  );
}
