import type { inferRouterOutputs } from "@trpc/server";
import { Temporal } from "temporal-polyfill";
import type { AppRouter } from "@/server/api/root";
import { dayKey, formatDay, formatTime } from "./format";
import { addDays } from "./ScheduleModel";

/**
 * Pure helpers for the student's and teacher's timetable: no React, no I/O. Times arrive as
 * UTC instants; everything shown is in the zone the viewer picked.
 */
export type TimetableLesson = inferRouterOutputs<AppRouter>["lessons"]["timetable"][number];
export type TimetableViewer = "student" | "teacher";
export type LessonParty = NonNullable<TimetableLesson["cancelledBy"]>;

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const SLOT_MINUTES = 30;

/** The week the timetable opens on: Monday to Sunday in the viewer's zone. */
export const WEEK_DAYS = 7;
/** The hours a week shows at least; lessons outside them widen the view. */
const DEFAULT_FIRST_HOUR = 7;
const DEFAULT_LAST_HOUR = 21;
/** How far the list view looks back and ahead (the server allows 400 days per request). */
export const LIST_DAYS = 400;

/**
 * The longest review text: the server's REVIEW_BODY_MAX (server/trade/lessonReview.ts, which
 * pulls in the database layer, so not imported here; a unit test keeps the two equal).
 */
export const REVIEW_TEXT_MAX = 2000;

export const lessonMinutes = (slots: number) => slots * SLOT_MINUTES;

/** "30 min", "1 hour", "1.5 hours": lesson time counted in half hours. */
export function hoursText(slots: number): string {
  if (slots === 1) return "30 minutes";
  const hours = slots / 2;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

/** "Mon 24 Nov, 14:30–15:30" in the zone; a lesson ending after midnight names both days. */
export function lessonTimeText(start: Date, end: Date, timeZone: string): string {
  const endsNextDay = dayKey(new Date(end.getTime() - 1), timeZone) !== dayKey(start, timeZone);
  return `${formatDay(start, timeZone)}, ${formatTime(start, timeZone)}–${
    endsNextDay ? `${formatDay(end, timeZone)}, ` : ""
  }${formatTime(end, timeZone)}`;
}

/** The calendar date of an instant in a zone, "YYYY-MM-DD". */
export function localDate(at: Date | number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(+at)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}

export function mondayOfInstant(at: Date | number, timeZone: string): string {
  const d = Temporal.PlainDate.from(localDate(at, timeZone));
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

/** The instant a local calendar day starts in a zone (midnight, or the first valid time). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const zoned = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone });
  return new Date(zoned.epochMilliseconds);
}

/** The timetable request for the week starting on the local Monday `weekStart`. */
export function weekWindow(weekStart: string, timeZone: string): { from: Date; to: Date } {
  return {
    from: startOfLocalDay(weekStart, timeZone),
    to: startOfLocalDay(addDays(weekStart, WEEK_DAYS), timeZone),
  };
}

/**
 * The list view's two requests around an anchor (now, floored to the half hour so the query
 * keys stay put between renders): what started before it and what starts from it on.
 */
export function listWindows(anchorMs: number) {
  const anchor = Math.floor(anchorMs / (SLOT_MINUTES * MINUTE_MS)) * SLOT_MINUTES * MINUTE_MS;
  const span = LIST_DAYS * DAY_MINUTES * MINUTE_MS;
  return {
    past: { from: new Date(anchor - span), to: new Date(anchor) },
    upcoming: { from: new Date(anchor), to: new Date(anchor + span) },
  };
}

/**
 * Upcoming (not yet ended, soonest first: a lesson under way is still upcoming) and past
 * (ended, most recent first).
 */
export function splitByTime(lessons: readonly TimetableLesson[], nowMs: number) {
  const byStart = [...lessons].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return {
    upcoming: byStart.filter((l) => l.endsAt.getTime() > nowMs),
    past: byStart.filter((l) => l.endsAt.getTime() <= nowMs).reverse(),
  };
}

/** Who did something, as the viewer reads it: "you", "teacher", "student" or "Halfhour". */
export function partyWord(party: LessonParty | null, viewer: TimetableViewer): string {
  if (party === viewer) return "you";
  if (party === "student" || party === "teacher") return party;
  return "Halfhour";
}

/** The lesson's state in words, including who cancelled, why, and what became of the hours. */
export function lessonStatusText(
  lesson: Pick<
    TimetableLesson,
    "status" | "slots" | "cancelledBy" | "cancelReason" | "hoursReturned" | "completedBy"
  >,
  viewer: TimetableViewer,
): string {
  switch (lesson.status) {
    case "held":
      return "Awaiting payment";
    case "booked":
      return "Booked";
    case "completed":
      return lesson.completedBy === "system" ? "Completed (confirmed automatically)" : "Completed";
    case "no_show":
      return viewer === "teacher" ? "No-show: the student didn't come" : "No-show";
    case "cancelled": {
      const by = partyWord(lesson.cancelledBy, viewer);
      const reason = lesson.cancelReason ? ` — ${lesson.cancelReason}` : "";
      const hours = lesson.hoursReturned
        ? `${hoursText(lesson.slots)} returned to the package`
        : `${hoursText(lesson.slots)} forfeited`;
      return `Cancelled by ${by}${reason}; ${hours}`;
    }
    default:
      return lesson.status;
  }
}

/** The zones offered by the switcher: the viewer's own first, then others, then UTC. */
export function zoneChoices(localZone: string, others: readonly string[] = []): string[] {
  return [...new Set([localZone, ...others, "UTC"])];
}

export const zoneLabel = (zone: string) => zone.replace(/_/g, " ");

export interface PlacedLesson {
  lesson: TimetableLesson;
  /** Minutes after the local midnight of its day (wall clock). */
  startMinute: number;
  /** Minutes shown on this day (a lesson past midnight is cut at the day's end). */
  minutes: number;
  /** Side-by-side position when lessons overlap (a cancelled one and its replacement). */
  lane: number;
  lanes: number;
}

export interface WeekLayout {
  days: { date: string; lessons: PlacedLesson[] }[];
  /** The hours drawn, [firstHour, lastHour). */
  firstHour: number;
  lastHour: number;
}

/**
 * The week as seven local days with each lesson placed by its wall-clock start in the zone,
 * the hours widened from 07–21 to cover every lesson, and overlapping lessons side by side.
 */
export function layoutWeek(
  lessons: readonly TimetableLesson[],
  weekStart: string,
  timeZone: string,
): WeekLayout {
  const dates = Array.from({ length: WEEK_DAYS }, (_, i) => addDays(weekStart, i));
  const byDate = new Map<string, PlacedLesson[]>(dates.map((d) => [d, []]));
  let first = DEFAULT_FIRST_HOUR * 60;
  let last = DEFAULT_LAST_HOUR * 60;
  for (const lesson of lessons) {
    const zoned = Temporal.Instant.fromEpochMilliseconds(
      lesson.startsAt.getTime(),
    ).toZonedDateTimeISO(timeZone);
    const list = byDate.get(zoned.toPlainDate().toString());
    if (!list) continue;
    const startMinute = zoned.hour * 60 + zoned.minute;
    const minutes = Math.min(lessonMinutes(lesson.slots), DAY_MINUTES - startMinute);
    list.push({ lesson, startMinute, minutes, lane: 0, lanes: 1 });
    first = Math.min(first, startMinute);
    last = Math.max(last, startMinute + minutes);
  }
  const days = dates.map((date) => {
    const placed = (byDate.get(date) ?? []).sort(
      (a, b) => a.startMinute - b.startMinute || a.lesson.id.localeCompare(b.lesson.id),
    );
    assignLanes(placed);
    return { date, lessons: placed };
  });
  return { days, firstHour: Math.floor(first / 60), lastHour: Math.ceil(last / 60) };
}

/** Interval partitioning within each cluster of overlapping lessons (input sorted by start). */
function assignLanes(placed: PlacedLesson[]) {
  let cluster: PlacedLesson[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -1;
  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const p of placed) {
    if (p.startMinute >= clusterEnd) close();
    const end = p.startMinute + p.minutes;
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= p.startMinute);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(end);
    } else {
      laneEnds[lane] = end;
    }
    p.lane = lane;
    cluster.push(p);
    clusterEnd = Math.max(clusterEnd, end);
  }
  close();
}
