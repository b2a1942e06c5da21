"use client";

import type { CSSProperties } from "react";
import { useId } from "react";
import { LessonDetails } from "./LessonDetails";
import { formatLocalDate } from "./ScheduleModel";
import type { TimetableLesson, TimetableViewer, WeekLayout } from "./TimetableModel";

/** Height of one hour in the grid. */
const HOUR_PX = 64;

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Seven local days side by side, lessons placed by their wall-clock time in the zone. Each
 * day is a list of its lessons (for screen readers, in time order); a lesson is a toggle
 * button that opens its details and actions below the grid.
 */
export function WeekTimetable(props: {
  layout: WeekLayout;
  today: string;
  nowMinute: number;
  nowMs: number;
  viewer: TimetableViewer;
  zone: string;
  selectedId: string | null;
  onSelect: (lesson: TimetableLesson | null) => void;
}) {
  const { layout, today, viewer, zone, selectedId, onSelect } = props;
  const id = useId();
  const hours = Array.from(
    { length: layout.lastHour - layout.firstHour },
    (_, i) => layout.firstHour + i,
  );
  const firstMinute = layout.firstHour * 60;
  const px = (minutes: number) => (minutes / 60) * HOUR_PX;
  const bodyStyle: CSSProperties = {
    height: px(hours.length * 60),
    backgroundSize: `100% ${HOUR_PX}px`,
  };
  return (
    <div className="tt-week" data-testid="timetable-week">
      <div className="tt-gutter" aria-hidden="true">
        <div className="tt-day-head" />
        <div className="tt-gutter-body" style={{ height: bodyStyle.height }}>
          {hours.map((h, i) => (
            <span key={h} style={{ top: i * HOUR_PX }}>
              {pad(h)}:00
            </span>
          ))}
        </div>
      </div>
      {layout.days.map((day) => {
        const headingId = `${id}-${day.date}`;
        const isToday = day.date === today;
        return (
          <section
            key={day.date}
            className="tt-day"
            aria-labelledby={headingId}
            data-date={day.date}
            data-today={isToday || undefined}
          >
            <h3 id={headingId} className="tt-day-head">
              <span className="schedule-weekday">
                {formatLocalDate(day.date, { weekday: "short" })}
              </span>
              <span className="schedule-date">
                {formatLocalDate(day.date, { day: "numeric", month: "short" })}
              </span>
              {isToday && <span className="sr-only"> (today)</span>}
            </h3>
            <div className="tt-day-body" style={bodyStyle}>
              {isToday &&
                props.nowMinute >= firstMinute &&
                props.nowMinute < layout.lastHour * 60 && (
                  <div
                    className="tt-now"
                    style={{ top: px(props.nowMinute - firstMinute) }}
                    aria-hidden="true"
                  />
                )}
              {day.lessons.length === 0 ? (
                <p className="sr-only">No lessons</p>
              ) : (
                <ol className="tt-day-lessons">
                  {day.lessons.map((placed) => {
                    const { lesson } = placed;
                    const selected = lesson.id === selectedId;
                    return (
                      <li
                        key={lesson.id}
                        className="tt-box-slot"
                        data-testid="timetable-lesson"
                        data-lesson-start={lesson.startsAt.toISOString()}
                        data-status={lesson.status}
                        style={{
                          top: px(placed.startMinute - firstMinute),
                          height: Math.max(px(placed.minutes), 22),
                          left: `${(placed.lane / placed.lanes) * 100}%`,
                          width: `${100 / placed.lanes}%`,
                        }}
                      >
                        <button
                          type="button"
                          className="tt-box"
                          data-status={lesson.status}
                          data-past={lesson.endsAt.getTime() <= props.nowMs || undefined}
                          aria-pressed={selected}
                          onClick={() => onSelect(selected ? null : lesson)}
                        >
                          <LessonDetails lesson={lesson} viewer={viewer} zone={zone} compact />
                        </button>
                      </li>
                    );
                  })}
                </ol>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}
