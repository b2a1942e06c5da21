import { cancellationReturnsHours, hasEnded } from "./bookingRules";
import type { LessonStatus } from "./lessonStateMachine";

export type Viewer = "student" | "teacher";

export interface LessonActions {
  reschedule: boolean;
  cancel: boolean;
  /** When cancelling now would forfeit the hours (student, inside the window). */
  cancelForfeits: boolean;
  complete: boolean;
  review: boolean;
}

/**
 * What the viewer may do with a lesson now: the timetable shows exactly these buttons, and
 * the services enforce the same rules. A student reschedules only outside the free-cancel
 * window (inside it the teacher has kept the time); a teacher cancels any time before the
 * start and closes a lesson (completed or no-show) once it has ended.
 */
export function lessonActions(
  lesson: { status: LessonStatus; startsAt: Date; slots: number; reviewed: boolean },
  viewer: Viewer,
  now: Date,
  windowHours: number,
): LessonActions {
  const booked = lesson.status === "booked";
  const upcoming = lesson.startsAt.getTime() > now.getTime();
  const outsideWindow = cancellationReturnsHours("student", lesson.startsAt, now, windowHours);
  const ended = hasEnded(lesson.startsAt, lesson.slots, now);
  return {
    reschedule: viewer === "student" && booked && upcoming && outsideWindow,
    cancel: booked && upcoming,
    cancelForfeits: viewer === "student" && booked && upcoming && !outsideWindow,
    complete: viewer === "teacher" && booked && ended,
    review: viewer === "student" && lesson.status === "completed" && !lesson.reviewed,
  };
}
