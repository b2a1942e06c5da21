"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useId, useMemo, useState } from "react";
import { bookableStarts } from "@/server/inventory/bookableStarts";
import { useTRPC } from "../_trpc/client";
import { dayKey, formatDay, formatTime } from "./format";
import { SLOT_MS } from "./ScheduleModel";
import { lessonMinutes, lessonTimeText, type TimetableLesson } from "./TimetableModel";
import { useTimetableRefresh } from "./useTimetableRefresh";

/** How far ahead the picker looks (the most availability.free serves at once). */
const DAYS_AHEAD = 28;

/**
 * Moves a booked lesson: the student picks a new start of the same length among the teacher's
 * free half hours. The lesson's own half hours count as free too, since moving it releases
 * them (so it can shift by half an hour). A time taken meanwhile is refused by the server
 * with its message, and the free times are fetched again.
 */
export function RescheduleLessonPicker(props: {
  lesson: TimetableLesson;
  zone: string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { lesson, zone, onClose, onDone } = props;
  const trpc = useTRPC();
  const refresh = useTimetableRefresh();
  const id = useId();
  const free = useQuery(
    trpc.availability.free.queryOptions({ teacherId: lesson.teacherId, days: DAYS_AHEAD }),
  );
  const [picked, setPicked] = useState<string | null>(null);

  const byDay = useMemo(() => {
    const own = Array.from(
      { length: lesson.slots },
      (_, i) => new Date(lesson.startsAt.getTime() + i * SLOT_MS),
    );
    const now = Date.now();
    const starts = bookableStarts([...(free.data?.slots ?? []), ...own], lesson.slots).filter(
      (at) => at.getTime() !== lesson.startsAt.getTime() && at.getTime() > now,
    );
    const groups = new Map<string, Date[]>();
    for (const at of starts) {
      const key = dayKey(at, zone);
      groups.set(key, [...(groups.get(key) ?? []), at]);
    }
    return groups;
  }, [free.data, lesson, zone]);
  const selected = picked
    ? ([...byDay.values()].flat().find((at) => at.toISOString() === picked) ?? null)
    : null;

  const move = useMutation(
    trpc.lessons.reschedule.mutationOptions({
      onSuccess: async (moved) => {
        onClose();
        onDone(`Lesson moved to ${lessonTimeText(moved.startsAt, moved.endsAt, zone)}.`);
        await refresh();
      },
      onError: async (error) => {
        // Someone took the time (409): show what is still free.
        if (error instanceof TRPCClientError && error.data?.httpStatus === 409) {
          setPicked(null);
          await free.refetch();
        }
      },
    }),
  );

  const minutes = lessonMinutes(lesson.slots);
  return (
    <section className="tt-panel" aria-labelledby={`${id}-title`} data-testid="reschedule-picker">
      <div className="row between">
        <h3 id={`${id}-title`}>Move this lesson</h3>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">
        Pick a new start for the {minutes}-minute lesson among the teacher's free times in the next{" "}
        {DAYS_AHEAD} days (shown in {zone.replace(/_/g, " ")}).
      </p>
      {free.isPending ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading free times" />
      ) : free.isError ? (
        <p className="error" role="alert">
          The teacher's free times could not be loaded: {free.error.message}{" "}
          <button type="button" className="link-button" onClick={() => free.refetch()}>
            Retry
          </button>
        </p>
      ) : byDay.size === 0 ? (
        <p className="empty-slots">
          No free {minutes}-minute times in the next {DAYS_AHEAD} days. You can keep the lesson or
          cancel it.
        </p>
      ) : (
        <div className="slot-days tt-slot-days">
          {[...byDay.entries()].map(([key, list]) => (
            <fieldset key={key} className="slot-day">
              <legend className="slot-day-label">{formatDay(list[0]!, zone)}</legend>
              <ul className="slot-chips">
                {list.map((at) => {
                  const iso = at.toISOString();
                  const isPicked = picked === iso;
                  return (
                    <li key={iso}>
                      <button
                        type="button"
                        className="slot-chip"
                        data-slot={iso}
                        aria-pressed={isPicked}
                        onClick={() => {
                          setPicked(isPicked ? null : iso);
                          move.reset();
                        }}
                      >
                        {formatTime(at, zone)}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          ))}
        </div>
      )}
      <p className="selection-summary" aria-live="polite">
        {selected ? (
          <>
            New time:{" "}
            <strong>
              {lessonTimeText(
                selected,
                new Date(selected.getTime() + lesson.slots * SLOT_MS),
                zone,
              )}
            </strong>
          </>
        ) : (
          <span className="muted">No new time picked yet.</span>
        )}
      </p>
      {move.isError && (
        <p className="error" role="alert">
          {move.error.message}
        </p>
      )}
      <div className="row">
        <button
          type="button"
          className="button small"
          disabled={!selected || move.isPending}
          onClick={() => selected && move.mutate({ lessonId: lesson.id, start: selected })}
        >
          {move.isPending ? "Moving…" : "Move lesson"}
        </button>
      </div>
    </section>
  );
}
