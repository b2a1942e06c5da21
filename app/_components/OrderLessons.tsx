import { LessonTime } from "./LessonTime";
import type { OrderLesson } from "./orderTypes";
import { formatMinutes, LESSON_STATUS_WORDS, PARTY_WORDS } from "./orderWords";

/** What happened to a lesson beyond its status: who cancelled and why, and the hours. */
function LessonNote({ lesson }: { lesson: OrderLesson }) {
  if (lesson.status === "cancelled") {
    return (
      <>
        Cancelled by {lesson.cancelledBy ? PARTY_WORDS[lesson.cancelledBy] : "—"}
        {lesson.cancelReason ? `: “${lesson.cancelReason}”` : ""}.{" "}
        {lesson.hoursReturned === null
          ? ""
          : lesson.hoursReturned
            ? "The hours were returned to this order."
            : "The hours were forfeited (cancelled late)."}
      </>
    );
  }
  if ((lesson.status === "completed" || lesson.status === "no_show") && lesson.completedBy) {
    return (
      <>
        Closed by {PARTY_WORDS[lesson.completedBy]}.
        {lesson.status === "completed" && !lesson.reviewed ? " Not reviewed yet." : ""}
      </>
    );
  }
  return null;
}

/** Every lesson booked against an order, oldest first, in the viewer's zone. */
export function OrderLessons(props: { lessons: readonly OrderLesson[]; zone: string }) {
  if (props.lessons.length === 0) {
    return <p className="muted">No lessons booked against this order yet.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="order-lessons" data-testid="order-lessons">
        <caption className="sr-only">Lessons of this order</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Length</th>
            <th scope="col">Status</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {props.lessons.map((lesson) => (
            <tr
              key={lesson.id}
              data-testid="order-lesson"
              data-lesson-start={lesson.startsAt.toISOString()}
              data-status={lesson.status}
            >
              <td>
                <LessonTime start={lesson.startsAt} slots={lesson.slots} zone={props.zone} />
              </td>
              <td>{formatMinutes(lesson.slots)}</td>
              <td>{LESSON_STATUS_WORDS[lesson.status]}</td>
              <td className="small">
                <LessonNote lesson={lesson} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
