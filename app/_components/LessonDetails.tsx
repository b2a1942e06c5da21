import Link from "next/link";
import { formatTime } from "./format";
import {
  lessonMinutes,
  lessonStatusText,
  lessonTimeText,
  type TimetableLesson,
  type TimetableViewer,
} from "./TimetableModel";

/** The other party's name: the teacher for a student, the student for a teacher. */
export function otherParty(lesson: TimetableLesson, viewer: TimetableViewer): string {
  return viewer === "student" ? lesson.teacherName : lesson.studentName;
}

/**
 * What a lesson is, in the viewer's zone: when, how long, which course, with whom and its
 * status in words. `compact` drops the day (the week view's column names it).
 */
export function LessonDetails(props: {
  lesson: TimetableLesson;
  viewer: TimetableViewer;
  zone: string;
  compact?: boolean;
}) {
  const { lesson, viewer, zone } = props;
  const when = props.compact
    ? `${formatTime(lesson.startsAt, zone)}–${formatTime(lesson.endsAt, zone)}`
    : lessonTimeText(lesson.startsAt, lesson.endsAt, zone);
  return (
    <span className="tt-details">
      <span className="tt-when">
        <time dateTime={lesson.startsAt.toISOString()}>{when}</time>
        <span className="muted"> · {lessonMinutes(lesson.slots)} min</span>
      </span>
      <span className="tt-what">
        <strong>{lesson.courseTitle}</strong>{" "}
        <span className="tt-with">
          with {viewer === "teacher" ? "student " : ""}
          {otherParty(lesson, viewer)}
        </span>
      </span>
      <span className="tt-status" data-status={lesson.status}>
        {lessonStatusText(lesson, viewer)}
        {lesson.status === "held" && lesson.holdExpiresAt && (
          <span className="muted"> (held until {formatTime(lesson.holdExpiresAt, zone)})</span>
        )}
      </span>
    </span>
  );
}

/**
 * The order a lesson was booked against: the student's order page (hours left; paying a held
 * lesson) or the teacher's view of their student's order.
 */
export function LessonOrderLink(props: { lesson: TimetableLesson; viewer: TimetableViewer }) {
  const { lesson, viewer } = props;
  const href =
    viewer === "student" ? `/me/orders/${lesson.orderId}` : `/dashboard/orders/${lesson.orderId}`;
  return (
    <Link className="small tt-order-link" href={href}>
      {viewer === "student" && lesson.status === "held" ? "Pay for this lesson →" : "Order →"}
    </Link>
  );
}
