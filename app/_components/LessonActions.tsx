"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";
import { CancelLessonDialog } from "./CancelLessonDialog";
import { LessonReviewForm } from "./LessonReviewForm";
import { RescheduleLessonPicker } from "./RescheduleLessonPicker";
import type { TimetableLesson, TimetableViewer } from "./TimetableModel";
import { useTimetableRefresh } from "./useTimetableRefresh";

/**
 * The buttons a lesson offers, exactly as the server's `actions` says (the services enforce
 * the same rules): reschedule and review for the student, cancel for both, and for the
 * teacher, once the lesson has ended, completed or no-show.
 */
export function LessonActions(props: {
  lesson: TimetableLesson;
  viewer: TimetableViewer;
  zone: string;
  onDone: (message: string) => void;
}) {
  const { lesson, viewer, zone, onDone } = props;
  const { actions } = lesson;
  const trpc = useTRPC();
  const refresh = useTimetableRefresh();
  const [panel, setPanel] = useState<"reschedule" | "review" | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const close = useMutation(
    trpc.lessons.close.mutationOptions({
      onSuccess: async (closed) => {
        onDone(
          closed.status === "no_show"
            ? "Marked as a no-show. The hours count as used."
            : "Lesson marked completed.",
        );
        await refresh();
      },
    }),
  );

  if (!(actions.reschedule || actions.cancel || actions.complete || actions.review)) return null;
  const toggle = (which: "reschedule" | "review") => setPanel(panel === which ? null : which);

  return (
    <div className="tt-actions-area">
      <div className="tt-actions">
        {actions.reschedule && (
          <button
            type="button"
            className="schedule-button"
            aria-expanded={panel === "reschedule"}
            onClick={() => toggle("reschedule")}
          >
            Reschedule
          </button>
        )}
        {actions.cancel && (
          <button
            type="button"
            className="schedule-button tt-danger"
            aria-haspopup="dialog"
            onClick={() => setCancelling(true)}
          >
            Cancel
          </button>
        )}
        {actions.complete && (
          <>
            <button
              type="button"
              className="schedule-button"
              disabled={close.isPending}
              onClick={() => close.mutate({ lessonId: lesson.id, outcome: "completed" })}
            >
              Mark completed
            </button>
            <button
              type="button"
              className="schedule-button"
              disabled={close.isPending}
              onClick={() => close.mutate({ lessonId: lesson.id, outcome: "no_show" })}
            >
              Student didn't show
            </button>
          </>
        )}
        {actions.review && (
          <button
            type="button"
            className="schedule-button"
            aria-expanded={panel === "review"}
            onClick={() => toggle("review")}
          >
            Review
          </button>
        )}
      </div>
      {close.isError && (
        <p className="error" role="alert">
          {close.error.message}
        </p>
      )}
      {panel === "reschedule" && actions.reschedule && (
        <RescheduleLessonPicker
          lesson={lesson}
          zone={zone}
          onClose={() => setPanel(null)}
          onDone={onDone}
        />
      )}
      {panel === "review" && actions.review && (
        <LessonReviewForm lesson={lesson} onClose={() => setPanel(null)} onDone={onDone} />
      )}
      {actions.cancel && (
        <CancelLessonDialog
          lesson={lesson}
          viewer={viewer}
          zone={zone}
          open={cancelling}
          onClose={() => setCancelling(false)}
          onDone={onDone}
        />
      )}
    </div>
  );
}
