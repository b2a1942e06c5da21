"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { bookableStarts } from "../../server/inventory/bookableStarts";
import { MAX_LESSON_SLOTS } from "../../server/trade/bookingRules";
import { useTRPC } from "../_trpc/client";
import { LessonLengthPicker } from "./LessonLengthPicker";
import { LessonTime } from "./LessonTime";
import { formatHours } from "./orderWords";
import { StartTimePicker } from "./StartTimePicker";
import { zoneName } from "./useViewerTimeZone";

const DAYS_SHOWN = 14;
/** An hour when the order has that much left, else what is left. */
const PREFERRED_LENGTH = 2;

/**
 * "Book a lesson" against a paid order: a length up to the hours left (and 120 minutes), a
 * start among the teacher's free times where the whole lesson fits, then `lessons.book`.
 * The server decides races; its message is shown as is (for example "That time was just
 * taken. Please pick another.").
 */
export function LessonPicker(props: {
  orderId: string;
  teacherId: string;
  slotsLeft: number;
  zone: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const maxLength = Math.min(MAX_LESSON_SLOTS, props.slotsLeft);
  const lengths = useMemo(() => Array.from({ length: maxLength }, (_, i) => i + 1), [maxLength]);
  const [chosenLength, setLength] = useState(Math.min(PREFERRED_LENGTH, maxLength));
  const length = Math.min(chosenLength, maxLength);
  const [picked, setPicked] = useState<string | null>(null);

  const free = useQuery(
    trpc.availability.free.queryOptions({ teacherId: props.teacherId, days: DAYS_SHOWN }),
  );
  const startsByLength = useMemo(() => {
    const slots = free.data?.slots ?? [];
    return new Map(lengths.map((n) => [n, bookableStarts(slots, n)]));
  }, [free.data, lengths]);
  const starts = startsByLength.get(length) ?? [];
  const selected = picked ? (starts.find((at) => at.toISOString() === picked) ?? null) : null;

  const book = useMutation(
    trpc.lessons.book.mutationOptions({
      onSuccess: () => setPicked(null),
      // Success or "just taken": the order, the free times and the timetables all changed.
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.trade.pathFilter()),
          queryClient.invalidateQueries(trpc.availability.pathFilter()),
          queryClient.invalidateQueries(trpc.lessons.pathFilter()),
        ]),
    }),
  );

  return (
    <section className="card lesson-picker" aria-labelledby="book-a-lesson">
      <h2 id="book-a-lesson">Book a lesson</h2>
      <p className="muted small">
        {formatHours(props.slotsLeft)} left on this order. Times in your time zone,{" "}
        {zoneName(props.zone)}.
      </p>
      <LessonLengthPicker
        lengths={lengths}
        value={length}
        onChange={(n) => {
          setLength(n);
          book.reset();
        }}
        openings={(n) => (free.isSuccess ? (startsByLength.get(n)?.length ?? 0) : undefined)}
      />
      {free.isPending ? (
        <div
          className="skeleton tall"
          role="status"
          aria-busy="true"
          aria-label="Loading free times"
        />
      ) : free.isError ? (
        <p className="error" role="alert">
          {free.error.message}{" "}
          <button type="button" className="link-button" onClick={() => free.refetch()}>
            Retry
          </button>
        </p>
      ) : starts.length === 0 ? (
        <p className="empty-slots">
          No {length * 30}-minute openings with this teacher in the next {DAYS_SHOWN} days.
        </p>
      ) : (
        <div className="slot-days" data-testid="lesson-picker-slots">
          <StartTimePicker
            starts={starts}
            zone={props.zone}
            selected={selected?.toISOString() ?? null}
            onSelect={(iso) => {
              setPicked(iso);
              book.reset();
            }}
            lengthSlots={length}
            days={DAYS_SHOWN}
          />
        </div>
      )}
      <div className="booking-selection">
        <p className="selection-summary" aria-live="polite">
          {selected ? (
            <LessonTime start={selected} slots={length} zone={props.zone} withLength />
          ) : (
            <span className="muted">Pick a start time above.</span>
          )}
        </p>
        <button
          type="button"
          className="button"
          disabled={!selected || book.isPending}
          onClick={() =>
            selected && book.mutate({ orderId: props.orderId, start: selected, slots: length })
          }
        >
          {book.isPending ? "Booking…" : "Book this lesson"}
        </button>
        {book.error && (
          <p className="error" role="alert" data-testid="book-error">
            {book.error.message}
          </p>
        )}
        {book.isSuccess && (
          <p className="success" role="status" data-testid="book-success">
            Booked:{" "}
            <LessonTime
              start={book.data.startsAt}
              slots={Math.round(
                (book.data.endsAt.getTime() - book.data.startsAt.getTime()) / 1_800_000,
              )}
              zone={props.zone}
              withLength
            />
            .
          </p>
        )}
      </div>
    </section>
  );
}
