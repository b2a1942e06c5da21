"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { otherParty } from "./LessonDetails";
import {
  hoursText,
  lessonTimeText,
  type TimetableLesson,
  type TimetableViewer,
} from "./TimetableModel";
import { useTimetableRefresh } from "./useTimetableRefresh";

const REASON_MIN = 3;
const REASON_MAX = 500;

/**
 * Confirms a cancellation in a modal dialog. A student is told plainly whether the hours come
 * back or are forfeited (inside the free-cancellation window); a teacher must give the student
 * a reason, and the student always gets the hours back.
 */
export function CancelLessonDialog(props: {
  lesson: TimetableLesson;
  viewer: TimetableViewer;
  zone: string;
  open: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { lesson, viewer, zone, open, onClose, onDone } = props;
  const trpc = useTRPC();
  const refresh = useTimetableRefresh();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const cancel = useMutation(
    trpc.lessons.cancel.mutationOptions({
      onSuccess: async (result) => {
        onClose();
        onDone(
          `Lesson cancelled. ${hoursText(lesson.slots)} ${
            result.hoursReturned ? "returned to the package" : "forfeited"
          }.`,
        );
        await refresh();
      },
    }),
  );
  const { reset } = cancel;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setReason("");
      setReasonError(null);
      reset();
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open, reset]);

  const teacher = viewer === "teacher";
  const forfeits = lesson.actions.cancelForfeits;
  const serverReasonError = fieldErrorsFrom(cancel.error).reason?.join(" ");
  const shownReasonError = reasonError ?? serverReasonError ?? null;

  return (
    <dialog
      ref={ref}
      className="tt-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-what`}
      onClose={onClose}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = reason.trim();
          if (teacher && trimmed.length < REASON_MIN) {
            setReasonError(
              `Tell the student why the lesson is cancelled (at least ${REASON_MIN} characters).`,
            );
            return;
          }
          setReasonError(null);
          cancel.mutate({ lessonId: lesson.id, reason: trimmed || undefined });
        }}
      >
        <h2 id={`${id}-title`}>Cancel this lesson?</h2>
        <p id={`${id}-what`}>
          <strong>{lesson.courseTitle}</strong> with {otherParty(lesson, viewer)},{" "}
          {lessonTimeText(lesson.startsAt, lesson.endsAt, zone)}.
        </p>
        {teacher ? (
          <p>
            The student gets the {hoursText(lesson.slots)} back and sees your reason. The time
            returns to your free slots.
          </p>
        ) : forfeits ? (
          <p className="tt-warning" data-testid="cancel-forfeit-warning">
            <strong>The hours are forfeited.</strong> This lesson starts too soon for a free
            cancellation: if you cancel now, its {hoursText(lesson.slots)} will not return to your
            package.
          </p>
        ) : (
          <p>You get the {hoursText(lesson.slots)} back in your package, to book another time.</p>
        )}
        <div className="tt-field">
          <label htmlFor={`${id}-reason`}>
            {teacher ? "Reason (shown to the student)" : "Reason (optional, shown to the teacher)"}
          </label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            value={reason}
            maxLength={REASON_MAX}
            required={teacher}
            aria-invalid={!!shownReasonError}
            aria-describedby={shownReasonError ? `${id}-reason-error` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {shownReasonError && (
            <span className="error small" id={`${id}-reason-error`}>
              {shownReasonError}
            </span>
          )}
        </div>
        {cancel.isError && !serverReasonError && (
          <p className="error" role="alert">
            {cancel.error.message}
          </p>
        )}
        <div className="row tt-dialog-actions">
          <button type="submit" className="button danger" disabled={cancel.isPending}>
            {cancel.isPending ? "Cancelling…" : "Cancel lesson"}
          </button>
          <button type="button" className="schedule-button" onClick={onClose}>
            Keep lesson
          </button>
        </div>
      </form>
    </dialog>
  );
}
