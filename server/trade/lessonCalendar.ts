import ical from "ical-generator";

export interface FeedLesson {
  id: string;
  startsAt: Date;
  endsAt: Date;
  courseTitle: string;
  /** The other party: the teacher for a student's feed, the student for a teacher's. */
  withName: string;
}

/**
 * An iCalendar (RFC 5545) document of lessons, for Google, Apple or Outlook calendar
 * subscriptions. Event UIDs are stable per lesson, so a rescheduled lesson moves instead of
 * appearing twice; times are UTC and calendars show them in the subscriber's zone.
 */
export function lessonCalendar(input: {
  ownerName: string;
  lessons: FeedLesson[];
  appUrl: string;
}): string {
  const calendar = ical({
    name: "Halfhour lessons",
    prodId: { company: "Halfhour", product: "lessons", language: "EN" },
    // Calendar apps poll subscriptions; ask for an hourly refresh.
    ttl: 3600,
  });
  for (const lesson of input.lessons) {
    calendar.createEvent({
      id: `lesson-${lesson.id}@halfhour`,
      start: lesson.startsAt,
      end: lesson.endsAt,
      summary: `${lesson.courseTitle} with ${lesson.withName}`,
      description: `Halfhour lesson. Manage it at ${input.appUrl}`,
      url: input.appUrl,
    });
  }
  return calendar.toString();
}
