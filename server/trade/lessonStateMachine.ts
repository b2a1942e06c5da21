/**
 * A lesson's life. `held` (slots reserved for an unpaid order) and `booked` own their slots;
 * every other state has released them (or, for completed and no-show, used them up).
 *
 *   held → booked (the order was paid) | expired (the hold lapsed) | cancelled (order cancelled)
 *   booked → booked (rescheduled) | cancelled | completed | no_show
 */
export const LESSON_STATUSES = [
  "held",
  "booked",
  "completed",
  "no_show",
  "cancelled",
  "expired",
] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

export const LESSON_EVENTS = [
  "confirm",
  "expire",
  "cancel",
  "reschedule",
  "complete",
  "markNoShow",
] as const;
export type LessonEvent = (typeof LESSON_EVENTS)[number];

const TABLE: Record<LessonEvent, Partial<Record<LessonStatus, LessonStatus>>> = {
  confirm: { held: "booked" },
  expire: { held: "expired" },
  cancel: { held: "cancelled", booked: "cancelled" },
  reschedule: { booked: "booked" },
  complete: { booked: "completed" },
  markNoShow: { booked: "no_show" },
};

export function nextLessonStatus(status: LessonStatus, event: LessonEvent): LessonStatus | null {
  return TABLE[event][status] ?? null;
}

/** Statuses that own slots on the teacher's calendar (the exclusion constraints' WHERE). */
export const LIVE_LESSON_STATUSES: readonly LessonStatus[] = ["held", "booked"];

export function isLiveLesson(status: LessonStatus): boolean {
  return LIVE_LESSON_STATUSES.includes(status);
}
