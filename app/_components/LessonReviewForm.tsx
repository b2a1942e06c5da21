"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { REVIEW_TEXT_MAX, type TimetableLesson } from "./TimetableModel";
import { useTimetableRefresh } from "./useTimetableRefresh";

const RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * A student's review of a completed lesson: 1–5 stars and a text. It appears on the teacher's
 * studio page, which the server rebuilds on the spot.
 */
export function LessonReviewForm(props: {
  lesson: TimetableLesson;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { lesson, onClose, onDone } = props;
  const trpc = useTRPC();
  const refresh = useTimetableRefresh();
  const id = useId();
  const [rating, setRating] = useState(0);
  const [body, setBody] = useState("");
  const [ratingMissing, setRatingMissing] = useState(false);
  const review = useMutation(
    trpc.lessons.review.mutationOptions({
      onSuccess: async () => {
        onClose();
        onDone(`Thank you! Your review is on ${lesson.teacherName}'s page.`);
        await refresh();
      },
    }),
  );
  const fieldErrors = fieldErrorsFrom(review.error);
  const ratingError = ratingMissing
    ? "Choose from 1 to 5 stars."
    : fieldErrors.rating?.join(" ") || undefined;
  const bodyError = fieldErrors.body?.join(" ") || undefined;
  const otherError =
    review.isError && !fieldErrors.rating && !fieldErrors.body ? review.error.message : null;

  return (
    <form
      className="tt-panel tt-review"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (rating === 0) {
          setRatingMissing(true);
          return;
        }
        review.mutate({ lessonId: lesson.id, rating, body });
      }}
    >
      <div className="row between">
        <h3 id={`${id}-title`}>Review your lesson with {lesson.teacherName}</h3>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </div>
      <fieldset
        className="tt-stars"
        aria-invalid={!!ratingError}
        aria-describedby={ratingError ? `${id}-rating-error` : undefined}
      >
        <legend>Your rating</legend>
        {RATINGS.map((n) => (
          <label key={n} className="tt-star" data-on={n <= rating || undefined}>
            <input
              type="radio"
              name={`${id}-rating`}
              value={n}
              checked={rating === n}
              onChange={() => {
                setRating(n);
                setRatingMissing(false);
              }}
            />
            <span aria-hidden="true">★</span>
            <span className="sr-only">
              {n} star{n === 1 ? "" : "s"}
            </span>
          </label>
        ))}
        <span className="muted small" aria-hidden="true">
          {rating > 0 ? `${rating} of 5` : ""}
        </span>
      </fieldset>
      {ratingError && (
        <span className="error small" id={`${id}-rating-error`}>
          {ratingError}
        </span>
      )}
      <div className="tt-field">
        <label htmlFor={`${id}-body`}>Your review</label>
        <textarea
          id={`${id}-body`}
          rows={4}
          value={body}
          maxLength={REVIEW_TEXT_MAX}
          placeholder="What went well? What would help other students decide?"
          aria-invalid={!!bodyError}
          aria-describedby={`${id}-body-hint${bodyError ? ` ${id}-body-error` : ""}`}
          onChange={(e) => setBody(e.target.value)}
        />
        <span className="muted small" id={`${id}-body-hint`}>
          Shown on the teacher's page with your name. {body.length.toLocaleString("en-US")} /{" "}
          {REVIEW_TEXT_MAX.toLocaleString("en-US")}
        </span>
        {bodyError && (
          <span className="error small" id={`${id}-body-error`}>
            {bodyError}
          </span>
        )}
      </div>
      {otherError && (
        <p className="error" role="alert">
          {otherError}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button small" disabled={review.isPending}>
          {review.isPending ? "Sending…" : "Submit review"}
        </button>
      </div>
    </form>
  );
}
