import { randomBytes } from "node:crypto";
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { calendarFeeds, lessons, orders, teachers, users } from "../../db/schema";
import type { FeedLesson } from "./lessonCalendar";

/** 32 url-safe characters: 192 random bits, the whole credential of a feed. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export const isFeedToken = (token: string) => TOKEN_PATTERN.test(token);

/** The viewer's feed token, or null when they have none (or revoked it). */
export async function getFeedToken(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ token: calendarFeeds.token })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
    .limit(1);
  return row?.token ?? null;
}

/** A new secret address; the old one (if any) stops working at once. */
export async function rotateFeedToken(db: Executor, userId: string): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await db
    .insert(calendarFeeds)
    .values({ userId, token })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { token, createdAt: new Date() } });
  return token;
}

export async function revokeFeedToken(db: Executor, userId: string): Promise<void> {
  await db.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId));
}

/** What the feed shows: from 60 days back to a year ahead. */
const PAST_DAYS = 60;
const AHEAD_DAYS = 400;

/**
 * The lessons behind a feed token: a student's lessons with all teachers, or a teacher's
 * with all students; booked and taken ones (cancelled ones drop out of the subscriber's
 * calendar on its next refresh), and whether they are the owner's lessons as a student or as
 * a teacher. Null for an unknown or revoked token.
 */
export async function lessonsForFeed(
  db: Executor,
  token: string,
  now: Date,
): Promise<{ ownerName: string; viewer: "student" | "teacher"; lessons: FeedLesson[] } | null> {
  if (!isFeedToken(token)) return null;
  const [owner] = await db
    .select({ userId: users.id, name: users.name, role: users.role, teacherId: teachers.id })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .leftJoin(teachers, eq(teachers.userId, users.id))
    .where(eq(calendarFeeds.token, token))
    .limit(1);
  if (!owner) return null;
  const asTeacher = owner.role === "teacher" && owner.teacherId !== null;
  const rows = await db
    .select({
      id: lessons.id,
      startsAt: lessons.startsAt,
      endsAt: lessons.endsAt,
      status: lessons.status,
      courseTitle: orders.courseTitle,
      teacherName: orders.teacherName,
      studentName: users.name,
    })
    .from(lessons)
    .innerJoin(orders, eq(orders.id, lessons.orderId))
    .innerJoin(users, eq(users.id, lessons.studentId))
    .where(
      and(
        asTeacher ? eq(lessons.teacherId, owner.teacherId!) : eq(lessons.studentId, owner.userId),
        inArray(lessons.status, ["booked", "completed", "no_show"]),
        gte(lessons.startsAt, new Date(now.getTime() - PAST_DAYS * 86_400_000)),
        lt(lessons.startsAt, new Date(now.getTime() + AHEAD_DAYS * 86_400_000)),
      ),
    )
    .orderBy(asc(lessons.startsAt))
    .limit(2000);
  return {
    ownerName: owner.name ?? "Halfhour",
    // Whose timetable the events link back to.
    viewer: asTeacher ? "teacher" : "student",
    lessons: rows.map((r) => ({
      id: r.id,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      courseTitle: r.courseTitle,
      withName: asTeacher ? (r.studentName ?? "A student") : r.teacherName,
    })),
  };
}
