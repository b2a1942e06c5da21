"use client";

import { useEffect, useRef, useState } from "react";
import { formatCountdown } from "./orderWords";

/** What screen readers hear, only when it changes: at 5 and 1 minute left, and at zero. */
function milestone(msLeft: number): string {
  if (msLeft <= 0) return "The hold has expired.";
  if (msLeft <= 60_000) return "Less than a minute left.";
  if (msLeft <= 5 * 60_000) return "Less than 5 minutes left.";
  return "";
}

/**
 * The time left on an unpaid order's hold, ticking each second. At zero it says so and calls
 * `onExpired` once (the page re-fetches: the server then reads the order as expired).
 */
export function HoldCountdown(props: {
  expiresAt: Date;
  /** "Your time is held for" or "This order waits for payment for another". */
  label: string;
  onExpired: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = props.expiresAt.getTime() - now;
  const expired = left <= 0;

  const onExpired = useRef(props.onExpired);
  onExpired.current = props.onExpired;
  useEffect(() => {
    if (expired) onExpired.current();
  }, [expired]);

  return (
    <div className="hold-countdown" data-testid="hold-countdown">
      {expired ? (
        <p>
          <strong>The hold has expired.</strong> This order can no longer be paid; its time is free
          for others again.
        </p>
      ) : (
        <p>
          {props.label} <strong role="timer">{formatCountdown(left)}</strong>
        </p>
      )}
      <p className="sr-only" aria-live="polite">
        {milestone(left)}
      </p>
    </div>
  );
}
