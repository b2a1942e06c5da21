import { aliasedTable, and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { lessons, orders, reviews, users } from "../../db/schema";
import { DomainError } from "../domainError";
import { lessonActions } from "./lessonActions";
import type { LessonStatus } from "./lessonStateMachine";
import { tradeSettings } from "./tradeSettings";

/** The longest stretch one timetable request may cover. */
export const MAX_TIMETABLE_DAYS = 400;

export type TimetableViewer =
  | { kind: "student"; userId: string }
  | { kind: "teacher"; teacherId: string };

const SHOWN: LessonStatus[] = ["held", "booked", "completed", "no_show", "cancelled"];

/**
 * The viewer's lessons starting in [from, to): a student's with every teacher, a teacher's
 * with every student, each with what the viewer may do now. Times are UTC; the page shows
 * them in the viewer's zone. Held lessons whose hold lapsed are gone already for everyone.
 */
export async function listTimetable(
  db: Executor,
  viewer: TimetableViewer,
  window: { from: Date; to: Date },
  now: Date,
) {
  if (window.to.getTime() <= window.from.getTime()) {
    throw new DomainError("invalid", "The end is before the start", "to");
  }
  if (window.to.getTime() - window.from.getTime() > MAX_TIMETABLE_DAYS * 86_400_000) {
    throw new DomainError("invalid", `Ask for at most ${MAX_TIMETABLE_DAYS} days at once`, "to");
  }
  const student = aliasedTable(users, "student");
  const rows = await db
    .select({
      id: lessons.id,
      orderId: lessons.orderId,
      teacherId: lessons.teacherId,
      startsAt: lessons.startsAt,
      endsAt: lessons.endsAt,
      slots: lessons.slots,
      status: lessons.status,
      hoursReturned: lessons.hoursReturned,
      cancelledBy: lessons.cancelledBy,
      cancelReason: lessons.cancelReason,
      completedBy: lessons.completedBy,
      courseTitle: orders.courseTitle,
      teacherName: orders.teacherName,
      studentName: student.name,
      holdExpiresAt: orders.holdExpiresAt,
      orderStatus: orders.status,
      reviewed: sql<boolean>`${reviews.id} is not null`,
    })
    .from(lessons)
    .innerJoin(orders, eq(orders.id, lessons.orderId))
    .innerJoin(student, eq(student.id, lessons.studentId))
    .leftJoin(reviews, eq(reviews.lessonId, lessons.id))
    .where(
      and(
        viewer.kind === "student"
          ? eq(lessons.studentId, viewer.userId)
          : eq(lessons.teacherId, viewer.teacherId),
        inArray(lessons.status, SHOWN),
        gte(lessons.startsAt, window.from),
        lt(lessons.startsAt, window.to),
      ),
    )
    .orderBy(asc(lessons.startsAt))
    .limit(1000);
  const { studentCancelWindowHours } = tradeSettings();
  return rows
    .filter(
      (r) =>
        !(r.status === "held" && (r.orderStatus !== "pending_payment" || r.holdExpiresAt <= now)),
    )
    .map(({ holdExpiresAt, orderStatus: _orderStatus, ...r }) => ({
      ...r,
      studentName: r.studentName ?? "A student",
      holdExpiresAt: r.status === "held" ? holdExpiresAt : null,
      actions: lessonActions(r, viewer.kind, now, studentCancelWindowHours),
    }));
}

export type TimetableLesson = Awaited<ReturnType<typeof listTimetable>>[number];
