"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { LessonActions } from "./LessonActions";
import { LessonDetails, LessonOrderLink } from "./LessonDetails";
import type { TimetableLesson, TimetableViewer } from "./TimetableModel";

/** Past lessons shown before "Show more". */
const PAST_SHOWN = 20;

/** The list view: upcoming lessons (soonest first) and past ones (latest first). */
export function LessonList(props: {
  upcoming: TimetableLesson[];
  /** Null while the past is loading. */
  past: TimetableLesson[] | null;
  pastError: string | null;
  viewer: TimetableViewer;
  zone: string;
  onDone: (message: string) => void;
}) {
  const { viewer, zone, onDone } = props;
  const id = useId();
  const [allPast, setAllPast] = useState(false);
  const past = props.past ?? [];
  const pastShown = allPast ? past : past.slice(0, PAST_SHOWN);
  return (
    <div className="tt-list-view">
      <section aria-labelledby={`${id}-upcoming`}>
        <h2 id={`${id}-upcoming`}>Upcoming</h2>
        {props.upcoming.length === 0 ? (
          <p className="muted">
            No upcoming lessons.
            {viewer === "student" && (
              <>
                {" "}
                <Link href="/search">Find a teacher</Link> and book one from their page.
              </>
            )}
          </p>
        ) : (
          <ol className="tt-list" data-testid="timetable-upcoming">
            {props.upcoming.map((lesson) => (
              <LessonRow
                key={lesson.id}
                lesson={lesson}
                viewer={viewer}
                zone={zone}
                onDone={onDone}
              />
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby={`${id}-past`}>
        <h2 id={`${id}-past`}>Past</h2>
        {props.pastError ? (
          <p className="error" role="alert">
            Past lessons could not be loaded: {props.pastError}
          </p>
        ) : props.past === null ? (
          <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" />
        ) : past.length === 0 ? (
          <p className="muted">No past lessons yet.</p>
        ) : (
          <>
            <ol className="tt-list" data-testid="timetable-past">
              {pastShown.map((lesson) => (
                <LessonRow
                  key={lesson.id}
                  lesson={lesson}
                  viewer={viewer}
                  zone={zone}
                  onDone={onDone}
                />
              ))}
            </ol>
            {past.length > PAST_SHOWN && (
              <button
                type="button"
                className="link-button"
                aria-expanded={allPast}
                onClick={() => setAllPast(!allPast)}
              >
                {allPast ? "Show fewer" : `Show all ${past.length} past lessons`}
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function LessonRow(props: {
  lesson: TimetableLesson;
  viewer: TimetableViewer;
  zone: string;
  onDone: (message: string) => void;
}) {
  const { lesson } = props;
  return (
    <li
      className="card tt-row"
      data-testid="timetable-lesson"
      data-lesson-start={lesson.startsAt.toISOString()}
      data-status={lesson.status}
    >
      <div className="row between tt-row-head">
        <LessonDetails lesson={lesson} viewer={props.viewer} zone={props.zone} />
        <LessonOrderLink lesson={lesson} viewer={props.viewer} />
      </div>
      <LessonActions
        lesson={lesson}
        viewer={props.viewer}
        zone={props.zone}
        onDone={props.onDone}
      />
    </li>
  );
}
