"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "../_trpc/client";
import { CourseForm, LEVEL_LABELS, type OwnCourse } from "./CourseForm";
import { CourseVersions } from "./CourseVersions";
import { formatMoney } from "./format";

/** The teacher's courses: create, edit into a new version, retire or reactivate. */
export function CourseManager(props: { subjects: { slug: string; name: string }[] }) {
  const trpc = useTRPC();
  const id = useId();
  const mine = useQuery(trpc.courses.mine.queryOptions());
  const [creating, setCreating] = useState(false);
  const active = mine.data?.filter((c) => c.status === "active").length ?? 0;

  return (
    <section className="card course-manager" aria-labelledby={`${id}-title`}>
      <div className="row between">
        <div>
          <h2 id={`${id}-title`}>Courses</h2>
          {mine.data && (
            <p className="muted small course-summary">
              {active} on offer
              {mine.data.length > active ? ` · ${mine.data.length - active} retired` : ""}. An edit
              saves a new version; orders keep the version they bought.
            </p>
          )}
        </div>
        {!creating && (
          <button
            type="button"
            className="button small"
            onClick={() => setCreating(true)}
            disabled={props.subjects.length === 0}
          >
            + New course
          </button>
        )}
      </div>
      {props.subjects.length === 0 && (
        <p className="notice small">Add a subject to your profile to create courses.</p>
      )}
      {creating && (
        <div className="course-card course-new">
          <h3>New course</h3>
          <CourseForm subjects={props.subjects} onDone={() => setCreating(false)} />
        </div>
      )}
      {mine.isPending && (
        <div className="skeleton tall" role="status" aria-label="Loading courses" />
      )}
      {mine.isError && (
        <p className="pf-alert" role="alert">
          {mine.error.message}
        </p>
      )}
      {mine.data?.length === 0 && !creating && (
        <p className="muted">No courses yet. Create your first one to start selling lessons.</p>
      )}
      <ul className="course-rows">
        {mine.data?.map((course) => (
          <CourseRow key={course.id} course={course} subjects={props.subjects} />
        ))}
      </ul>
    </section>
  );
}

function CourseRow(props: { course: OwnCourse; subjects: { slug: string; name: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const c = props.course;
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const onStatusChanged = async () => {
    setConfirming(false);
    await Promise.all([
      queryClient.invalidateQueries(trpc.courses.mine.queryFilter()),
      queryClient.invalidateQueries(trpc.teachers.me.queryFilter()),
    ]);
  };
  const retire = useMutation(trpc.courses.retire.mutationOptions({ onSuccess: onStatusChanged }));
  const reactivate = useMutation(
    trpc.courses.reactivate.mutationOptions({ onSuccess: onStatusChanged }),
  );
  const statusError = retire.error ?? reactivate.error;
  const retired = c.status === "retired";

  return (
    <li className="course-card" data-retired={retired || undefined} data-testid="own-course">
      <div className="course-head">
        <div>
          <h3>{c.title}</h3>
          <div className="tags">
            <span className="tag">{c.subjectName}</span>
            <span className="course-version" title="Students buy this version now">
              version {c.version}
            </span>
            {retired && <span className="badge course-retired">retired</span>}
          </div>
        </div>
        <span className="price">{formatMoney(c.pricePerHour, c.currency)}/h</span>
      </div>

      {editing ? (
        <CourseForm
          key={c.version}
          course={c}
          subjects={props.subjects}
          onDone={() => setEditing(false)}
        />
      ) : (
        <>
          <p className="muted small">
            {LEVEL_LABELS[c.level]} · Packages: {c.packageHours.map((h) => `${h} h`).join(", ")}
          </p>
          {c.description && <p className="course-description">{c.description}</p>}
          <div className="course-actions">
            <button type="button" className="schedule-button" onClick={() => setEditing(true)}>
              Edit<span className="sr-only"> {c.title}</span>
            </button>
            {retired ? (
              <button
                type="button"
                className="schedule-button"
                disabled={reactivate.isPending}
                onClick={() => reactivate.mutate({ courseId: c.id })}
              >
                {reactivate.isPending ? "Reactivating…" : "Reactivate"}
              </button>
            ) : confirming ? (
              <span className="course-confirm">
                <span className="small">
                  Retire it? It leaves your studio; students who bought it keep their hours.
                </span>
                <button
                  type="button"
                  className="schedule-button course-danger"
                  disabled={retire.isPending}
                  onClick={() => retire.mutate({ courseId: c.id })}
                >
                  {retire.isPending ? "Retiring…" : "Retire course"}
                </button>
                <button
                  type="button"
                  className="link-button small"
                  onClick={() => setConfirming(false)}
                >
                  Keep it
                </button>
              </span>
            ) : (
              <button type="button" className="schedule-button" onClick={() => setConfirming(true)}>
                Retire…
              </button>
            )}
          </div>
          {statusError && (
            <p className="pf-error" role="alert">
              {statusError.message}
            </p>
          )}
        </>
      )}
      <CourseVersions courseId={c.id} currentVersion={c.version} />
    </li>
  );
}
