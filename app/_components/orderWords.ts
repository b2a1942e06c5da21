import type { LessonStatus } from "../../server/trade/lessonStateMachine";

export { ORDER_STATUS_WORDS } from "../../server/trade/orderStateMachine";

/** A lesson's status in words, as its student reads it. */
export const LESSON_STATUS_WORDS: Record<LessonStatus, string> = {
  held: "held until the order is paid",
  booked: "booked",
  completed: "completed",
  no_show: "missed (no-show)",
  cancelled: "cancelled",
  expired: "expired",
};

export type LessonParty = "student" | "teacher" | "admin" | "system";

/** Who did something to a lesson, as its student reads it. */
export const PARTY_WORDS: Record<LessonParty, string> = {
  student: "you",
  teacher: "the teacher",
  admin: "Halfhour support",
  system: "Halfhour (automatically)",
};

/** Half hours as hours: 3 → "1.5 h", 20 → "10 h". */
export function formatHours(slots: number): string {
  return `${slots / 2} h`;
}

/** Half hours as a lesson length: 2 → "60 min". */
export function formatMinutes(slots: number): string {
  return `${slots * 30} min`;
}

/** "14:32" (or "1:02:05" past an hour) for a number of milliseconds, never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** "24 Nov 2025" in the viewer's zone. */
export function formatDate(at: Date, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium" }).format(at);
}
