"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";

const PAGE_SIZE = 10;

export interface ReviewView {
  id: string;
  rating: number;
  body: string;
  createdAt: Date;
  reviewer: string;
}

/** One review; rendered by the static page and by the pages loaded on demand. */
export function ReviewItem({ review }: { review: ReviewView }) {
  return (
    <li>
      <div className="row between">
        <strong>{review.reviewer}</strong>
        <span role="img" aria-label={`${review.rating} out of 5`}>
          {"★".repeat(review.rating)}
        </span>
      </div>
      <p>{review.body}</p>
      <time className="muted small" dateTime={review.createdAt.toISOString()}>
        {review.createdAt.toISOString().slice(0, 10)}
      </time>
    </li>
  );
}

/**
 * "Show more reviews": the static page carries the newest reviews and the cursor after them;
 * each click loads the next page from `reviews.list` and appends it.
 */
export function MoreReviews(props: {
  teacherId: string;
  cursor: string | null;
  remaining: number;
}) {
  const trpc = useTRPC();
  const [requested, setRequested] = useState(false);
  const more = useInfiniteQuery(
    trpc.reviews.list.infiniteQueryOptions(
      { teacherId: props.teacherId, limit: PAGE_SIZE },
      {
        initialCursor: props.cursor,
        getNextPageParam: (page) => page.nextCursor,
        enabled: requested && props.cursor !== null,
        // Appended pages never change under the reader: no refetch on focus.
        staleTime: Number.POSITIVE_INFINITY,
      },
    ),
  );
  if (props.cursor === null) return null;

  const loaded = more.data?.pages.flatMap((p) => p.items) ?? [];
  const hasMore = requested ? more.hasNextPage || more.isPending : true;
  const busy = requested && (more.isPending || more.isFetchingNextPage);
  const left = Math.max(0, props.remaining - loaded.length);

  return (
    <>
      {loaded.length > 0 && (
        <ul className="review-list more-reviews" data-testid="more-reviews">
          {loaded.map((r) => (
            <ReviewItem key={r.id} review={r} />
          ))}
        </ul>
      )}
      <p className="more-reviews-bar" aria-live="polite">
        {more.isError ? (
          <span className="error" role="alert">
            More reviews could not be loaded.{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => (more.isFetchNextPageError ? more.fetchNextPage() : more.refetch())}
            >
              Retry
            </button>
          </span>
        ) : hasMore ? (
          <button
            type="button"
            className="button small secondary"
            disabled={busy}
            aria-busy={busy}
            onClick={() => (requested ? more.fetchNextPage() : setRequested(true))}
          >
            {busy ? "Loading…" : `Show more reviews${left > 0 ? ` (${left} more)` : ""}`}
          </button>
        ) : (
          <span className="muted small">That is every review.</span>
        )}
      </p>
    </>
  );
}
