import { DomainError } from "../domainError";
import { SLOT_MS } from "../inventory/slotBitmap";
import { isSlotAligned, type SlotRange } from "../inventory/slotRange";

/** Lessons last 30 to 120 minutes: 1 to 4 half hours. */
export const MIN_LESSON_SLOTS = 1;
export const MAX_LESSON_SLOTS = 4;

const HOUR_MS = 3_600_000;

function describeNotice(minutes: number): string {
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `${minutes} minutes`;
}

/**
 * When a lesson may be booked (or moved to): on a half-hour boundary, not in the past, at
 * least the teacher's minimum notice ahead, within the booking horizon. Throws a DomainError
 * naming `field`.
 */
export function checkLessonTime(
  range: SlotRange,
  rules: { now: Date; minNoticeMinutes: number; horizonDays: number },
  field = "start",
): void {
  if (
    !Number.isInteger(range.slots) ||
    range.slots < MIN_LESSON_SLOTS ||
    range.slots > MAX_LESSON_SLOTS
  ) {
    // The length's own field beside the start's: "slots", or "lesson.slots" at checkout.
    const slotsField = field.endsWith("start") ? `${field.slice(0, -5)}slots` : "slots";
    throw new DomainError("invalid", "A lesson lasts 30, 60, 90 or 120 minutes", slotsField);
  }
  if (!isSlotAligned(range.start)) {
    throw new DomainError("invalid", "Lessons start on the hour or half hour", field);
  }
  const start = range.start.getTime();
  const now = rules.now.getTime();
  if (start <= now) throw new DomainError("invalid", "That time is in the past", field);
  if (start < now + rules.minNoticeMinutes * 60_000) {
    throw new DomainError(
      "invalid",
      `This teacher needs at least ${describeNotice(rules.minNoticeMinutes)} notice; pick a later time`,
      field,
    );
  }
  if (start > now + rules.horizonDays * 24 * HOUR_MS) {
    throw new DomainError(
      "invalid",
      `Lessons can be booked at most ${rules.horizonDays} days ahead`,
      field,
    );
  }
}

/**
 * What a cancellation does to the hours: a teacher (or admin) cancelling always gives them
 * back; a student gets them back when cancelling at least the window before the start, and
 * forfeits them later (the teacher kept the time free for them).
 */
export function cancellationReturnsHours(
  by: "student" | "teacher" | "admin",
  start: Date,
  now: Date,
  windowHours: number,
): boolean {
  if (by !== "student") return true;
  return start.getTime() - now.getTime() >= windowHours * HOUR_MS;
}

/** A lesson can be marked completed or no-show once it has ended. */
export function hasEnded(start: Date, slots: number, now: Date): boolean {
  return start.getTime() + slots * SLOT_MS <= now.getTime();
}
