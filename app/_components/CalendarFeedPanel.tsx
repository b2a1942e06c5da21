"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "../_trpc/client";

/**
 * The viewer's personal calendar feed (iCalendar, /calendar/<token>.ics) for Google, Apple or
 * Outlook calendar: create it, copy or subscribe, reset it (the old address stops working) or
 * turn it off. The address is a secret: whoever has it sees the lesson times.
 */
export function CalendarFeedPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const feed = useQuery(trpc.calendarFeed.get.queryOptions());
  const [origin, setOrigin] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => setOrigin(window.location.origin), []);

  const onToken = (token: string | null, message: string) => {
    queryClient.setQueryData(trpc.calendarFeed.get.queryKey(), { token });
    setStatus(message);
  };
  const hadFeed = !!feed.data?.token;
  const rotate = useMutation(
    trpc.calendarFeed.rotate.mutationOptions({
      onSuccess: ({ token }) =>
        onToken(
          token,
          hadFeed
            ? "New calendar link created. The old link no longer works: subscribe again with this one."
            : "Calendar link created.",
        ),
    }),
  );
  const revoke = useMutation(
    trpc.calendarFeed.revoke.mutationOptions({
      onSuccess: () =>
        onToken(null, "Calendar link turned off. Subscribed calendars stop updating."),
    }),
  );
  const busy = rotate.isPending || revoke.isPending;
  const failure = rotate.error ?? revoke.error;

  const url = feed.data?.token && origin ? `${origin}/calendar/${feed.data.token}.ics` : null;
  const webcal = url?.replace(/^https?:/, "webcal:");

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setStatus("Link copied.");
    } catch {
      // No clipboard permission: select the text so the user can copy it.
      inputRef.current?.select();
      setStatus("Press Ctrl+C (⌘C) to copy the selected link.");
    }
  };

  return (
    <section className="card tt-feed" aria-labelledby={`${id}-title`} data-testid="calendar-feed">
      <h2 id={`${id}-title`}>Calendar feed</h2>
      <p className="muted small">
        Add your lessons to Google Calendar, Apple Calendar or Outlook. The link is private: anyone
        who has it can see your lesson times and names, so don't share it. If it leaked, reset it.
      </p>
      {feed.isPending || !origin ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" />
      ) : feed.isError ? (
        <p className="error" role="alert">
          {feed.error.message}
        </p>
      ) : url ? (
        <>
          <div className="tt-field">
            <label htmlFor={`${id}-url`}>Your calendar link</label>
            <div className="row tt-feed-url">
              <input
                ref={inputRef}
                id={`${id}-url`}
                type="text"
                readOnly
                value={url}
                onFocus={(e) => e.currentTarget.select()}
              />
              <button type="button" className="schedule-button" onClick={copy}>
                Copy
              </button>
            </div>
          </div>
          <p className="row">
            <a className="button small" href={webcal}>
              Subscribe in your calendar app
            </a>
            <span className="muted small">
              Or paste the link into your calendar's "Add calendar from URL". Calendars refresh it
              every few hours.
            </span>
          </p>
          <div className="row">
            <button
              type="button"
              className="schedule-button"
              disabled={busy}
              onClick={() => rotate.mutate()}
            >
              Reset link
            </button>
            <button
              type="button"
              className="schedule-button tt-danger"
              disabled={busy}
              onClick={() => revoke.mutate()}
            >
              Turn off
            </button>
            <span className="muted small">Resetting stops the old link at once.</span>
          </div>
        </>
      ) : (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => rotate.mutate()}
        >
          Create calendar link
        </button>
      )}
      {failure && (
        <p className="error" role="alert">
          {failure.message}
        </p>
      )}
      <p className="small" role="status">
        {status}
      </p>
    </section>
  );
}
