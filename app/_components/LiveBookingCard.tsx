"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { useEffect, useId, useMemo, useState } from "react";
import { bookableStarts } from "../../server/inventory/bookableStarts";
import { useTRPC } from "../_trpc/client";
import { aRole } from "./AreaNotice";
import { checkoutHref } from "./checkoutParams";
import { formatMoney } from "./format";
import { LessonLengthPicker } from "./LessonLengthPicker";
import { LessonTime } from "./LessonTime";
import { type PurchaseChoice, PurchasePicker, purchaseOf, validChoice } from "./PurchasePicker";
import { StartTimePicker } from "./StartTimePicker";
import { zoneName } from "./useViewerTimeZone";

const DAYS_SHOWN = 14;
const SLOT_MINUTES = 30;
/** Lesson lengths offered, in half hours (30, 60, 90, 120 minutes). */
const LENGTHS = [1, 2, 3, 4] as const;
/** Every free half hour is a start at 30 minutes, so newly published time shows up as is. */
const DEFAULT_LENGTH = 1;

const minutes = (length: number) => length * SLOT_MINUTES;

/**
 * The live part of a static studio page: current prices and the next free slots, fetched
 * after load and shown in the viewer's time zone (changeable). The student picks a lesson
 * length and a start (only starts where the whole lesson is free are offered), the course and
 * what to buy (that single lesson, or a package of hours), then goes to checkout.
 */
export function LiveBookingCard(props: { teacherId: string; teacherTimeZone: string }) {
  const trpc = useTRPC();
  const price = useQuery({
    ...trpc.teachers.priceCard.queryOptions({ id: props.teacherId }),
    refetchInterval: retryWhileFailing,
  });
  const slots = useQuery({
    ...trpc.availability.free.queryOptions({ teacherId: props.teacherId, days: DAYS_SHOWN }),
    refetchInterval: retryWhileFailing,
  });
  const [localZone, setLocalZone] = useState<string | null>(null);
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => {
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    setLocalZone(resolved);
    setZone(resolved);
  }, []);
  const zones = useMemo(() => {
    const all = new Set([localZone ?? "UTC", props.teacherTimeZone, "UTC"]);
    return [...all];
  }, [localZone, props.teacherTimeZone]);

  const [length, setLength] = useState<number>(DEFAULT_LENGTH);
  /** ISO start of the chosen lesson; only counts while that start is still bookable. */
  const [picked, setPicked] = useState<string | null>(null);
  const [courseId, setCourseId] = useState<string | null>(null);
  const [choice, setChoice] = useState<PurchaseChoice | null>(null);

  const startsByLength = useMemo(() => {
    const free = slots.data?.slots ?? [];
    return new Map<number, Date[]>(LENGTHS.map((n) => [n, bookableStarts(free, n)]));
  }, [slots.data]);
  const starts = startsByLength.get(length) ?? [];
  const selected = picked ? (starts.find((at) => at.toISOString() === picked) ?? null) : null;

  const courses = price.data ?? [];
  const course = courses.find((c) => c.courseId === courseId) ?? courses[0] ?? null;
  const purchase = course ? validChoice(course, choice) : null;

  const freeCount = slots.data?.slots.length ?? 0;
  /** The longest length shorter than the chosen one that has openings, to suggest. */
  const shorter = [...LENGTHS]
    .reverse()
    .find((n) => n < length && (startsByLength.get(n)?.length ?? 0) > 0);

  return (
    <div className="card live-card" data-testid="live-card">
      <h2>Prices</h2>
      {price.isPending ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading prices" />
      ) : price.isError ? (
        <Unavailable
          testId="prices-unavailable"
          message="Live prices are temporarily unavailable."
          onRetry={() => price.refetch()}
        />
      ) : (
        <ul className="price-list" data-testid="price-card">
          {price.data.map((c) => (
            <li key={c.courseId}>
              <div className="row between">
                <span>{c.title}</span>
                <strong>{formatMoney(c.pricePerHour, c.currency)}/h</strong>
              </div>
              <span className="muted small">
                {c.packages
                  .filter((p) => p.hours > 1)
                  .map((p) => `${p.hours} h ${formatMoney(p.amount, c.currency)}`)
                  .join(" · ") || "Single lessons"}
              </span>
            </li>
          ))}
        </ul>
      )}

      <div className="row between">
        <h2>Free times</h2>
        {zone && (
          <label className="small">
            <span className="sr-only">Time zone</span>
            <select value={zone} onChange={(e) => setZone(e.target.value)} aria-label="Time zone">
              {zones.map((z) => (
                <option key={z} value={z}>
                  {zoneName(z)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      <LessonLengthPicker
        lengths={LENGTHS}
        value={length}
        onChange={setLength}
        openings={(n) => (slots.isSuccess ? (startsByLength.get(n)?.length ?? 0) : undefined)}
      />

      {slots.isPending || !zone ? (
        <div
          className="skeleton tall"
          role="status"
          aria-busy="true"
          aria-label="Loading free times"
        />
      ) : slots.isError ? (
        <Unavailable
          testId="free-slots-unavailable"
          message="Live availability is temporarily unavailable."
          onRetry={() => slots.refetch()}
        />
      ) : freeCount === 0 ? (
        <p className="empty-slots muted">
          No free time in the next {DAYS_SHOWN} days. Check back later: teachers publish new times
          every week.
        </p>
      ) : (
        <div className="slot-days" data-testid="free-slots">
          {starts.length === 0 ? (
            <p className="empty-slots">
              No {minutes(length)}-minute openings in the next {DAYS_SHOWN} days
              {shorter ? (
                <>
                  {" "}
                  — try a shorter lesson.{" "}
                  <button type="button" className="link-button" onClick={() => setLength(shorter)}>
                    Show {minutes(shorter)}-minute times
                  </button>
                </>
              ) : (
                "."
              )}
            </p>
          ) : (
            <StartTimePicker
              starts={starts}
              zone={zone}
              selected={selected?.toISOString() ?? null}
              onSelect={setPicked}
              lengthSlots={length}
              days={DAYS_SHOWN}
            />
          )}
        </div>
      )}

      {course && purchase && (
        <div className="booking-selection">
          {slots.isSuccess && zone && freeCount > 0 && (
            <p className="selection-summary" data-testid="selection" aria-live="polite">
              {selected ? (
                <>
                  <LessonTime start={selected} slots={length} zone={zone} withLength /> ·{" "}
                  {zone === localZone
                    ? "your time zone"
                    : zone === props.teacherTimeZone
                      ? "teacher's time zone"
                      : "time zone"}{" "}
                  {zoneName(zone)}
                </>
              ) : (
                <span className="muted">Pick a start time above.</span>
              )}
            </p>
          )}
          <PurchasePicker
            courses={courses}
            course={course}
            onCourse={setCourseId}
            choice={purchase}
            onChoice={setChoice}
            lessonSlots={length}
          />
          <CheckoutActions
            teacherId={props.teacherId}
            courseId={course.courseId}
            choice={purchase}
            lesson={selected ? { start: selected, slots: length } : null}
          />
        </div>
      )}
      {price.isSuccess && courses.length === 0 && (
        <p className="muted small">This teacher has no courses on sale right now.</p>
      )}
    </div>
  );
}

/**
 * The way to checkout: with the picked lesson, or (for a package) hours alone. Visitors see
 * the checkout first (what they buy, at what price) and sign in from there; checkout keeps
 * their choice in the guest cart meanwhile. Teachers and admins cannot buy.
 */
function CheckoutActions(props: {
  teacherId: string;
  courseId: string;
  choice: PurchaseChoice;
  lesson: { start: Date; slots: number } | null;
}) {
  const { data: session, status } = useSession();
  const role = (session?.user as { role?: string } | undefined)?.role;
  const noteId = useId();
  const { choice, lesson } = props;
  const request = { teacherId: props.teacherId, courseId: props.courseId };

  if (role && role !== "student") {
    return (
      <>
        <button type="button" className="button" disabled aria-describedby={noteId}>
          Continue to checkout
        </button>
        <p className="muted small" id={noteId} data-testid="checkout-note">
          Only student accounts can buy lessons. You are signed in as {aRole(role)}.
        </p>
      </>
    );
  }
  return (
    <>
      {lesson ? (
        <Link
          className="button"
          href={checkoutHref({ ...request, lesson, purchase: purchaseOf(choice, lesson.slots) })}
          aria-describedby={status === "unauthenticated" ? noteId : undefined}
        >
          Continue to checkout
        </Link>
      ) : (
        <button type="button" className="button" disabled aria-describedby={noteId}>
          Continue to checkout
        </button>
      )}
      <p className="muted small" id={noteId} data-testid="checkout-note">
        {!lesson
          ? "Pick a start time to book your first lesson."
          : status === "unauthenticated"
            ? "You will see the order at checkout, and sign in there to place it."
            : choice.kind === "package"
              ? `The lesson is booked from your ${choice.hours} hours.`
              : "You pay for this lesson only."}
      </p>
      {choice.kind === "package" && (
        <p className="small center">
          <Link
            href={checkoutHref({ ...request, lesson: null, purchase: choice })}
            data-testid="buy-hours-only"
          >
            Buy {choice.hours} hours without booking a lesson
          </Link>
        </p>
      )}
    </>
  );
}

/**
 * While a widget query is failing (API or database down), try again every few seconds on top of
 * the client's per-request retries, so the widget heals by itself when the service is back.
 */
const RETRY_WHILE_FAILING_MS = 5_000;
const retryWhileFailing = (query: { state: { status: string } }) =>
  query.state.status === "error" ? RETRY_WHILE_FAILING_MS : false;

/**
 * A widget's error state: what is missing, that it heals by itself, and a manual retry. The
 * text stays the same while retrying: an alert whose text changed would be announced again.
 */
function Unavailable(props: { testId: string; message: string; onRetry: () => void }) {
  return (
    <p className="error" role="alert" data-testid={props.testId}>
      {props.message} <span className="muted small">Retrying automatically.</span>{" "}
      <button type="button" className="link-button" onClick={props.onRetry}>
        Retry
      </button>
    </p>
  );
}
