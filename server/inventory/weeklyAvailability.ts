import { Temporal } from "temporal-polyfill";
import { SLOT_MINUTES, slotOf } from "./slotBitmap";

/** A recurring window in the teacher's own zone: ISO weekday (1 = Monday), "HH:MM" bounds. */
export interface WeeklyWindow {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  start: string;
  end: string;
}

const SLOT_MS = SLOT_MINUTES * 60_000;

/**
 * The UTC slots a weekly pattern covers between two local dates (inclusive), grouped by UTC
 * day. Rule, for every zone: a slot is covered when its whole half hour lies inside the
 * window's real instants. So daylight-saving gaps publish nothing that does not exist,
 * repeated hours are not doubled, and in zones whose offset is not a multiple of 30 minutes
 * (Asia/Kathmandu, +05:45) the window shrinks to the UTC half hours that fit inside it.
 */
export function slotsForWeeklyPattern(
  windows: readonly WeeklyWindow[],
  timeZone: string,
  fromLocalDate: string,
  toLocalDate: string,
): Map<string, number[]> {
  const byDay = new Map<string, Set<number>>();
  const last = Temporal.PlainDate.from(toLocalDate);
  for (
    let date = Temporal.PlainDate.from(fromLocalDate);
    Temporal.PlainDate.compare(date, last) <= 0;
    date = date.add({ days: 1 })
  ) {
    for (const w of windows) {
      if (w.weekday !== date.dayOfWeek) continue;
      const from = localInstant(date, w.start, timeZone, "start");
      const to = localInstant(date, w.end, timeZone, "end");
      for (let t = Math.ceil(from / SLOT_MS) * SLOT_MS; t + SLOT_MS <= to; t += SLOT_MS) {
        const { day, index } = slotOf(new Date(t));
        const set = byDay.get(day) ?? new Set<number>();
        set.add(index);
        byDay.set(day, set);
      }
    }
  }
  return new Map([...byDay].map(([day, set]) => [day, [...set].sort((a, b) => a - b)]));
}

/**
 * Epoch ms of a wall-clock time; "24:00" means the next midnight. A window edge in a
 * spring-forward gap is clamped to the jump (that wall time never happens); in a fall-back
 * overlap a start takes the first occurrence and an end the last, so the window is whole.
 */
function localInstant(
  date: Temporal.PlainDate,
  hhmm: string,
  timeZone: string,
  edge: "start" | "end",
): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  const wall = (h === 24 ? date.add({ days: 1 }) : date).toPlainDateTime({
    hour: h % 24,
    minute: m,
  });
  const zoned = wall.toZonedDateTime(timeZone, {
    disambiguation: edge === "start" ? "earlier" : "later",
  });
  if (!zoned.toPlainDateTime().equals(wall)) {
    // In a gap, "earlier" lands before the jump, so the next transition is the jump itself.
    const jump = wall
      .toZonedDateTime(timeZone, { disambiguation: "earlier" })
      .getTimeZoneTransition("next");
    if (jump) return jump.epochMilliseconds;
  }
  return zoned.epochMilliseconds;
}

/** Today's date in a zone, as "YYYY-MM-DD". */
export function localToday(timeZone: string, now: Date = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}
