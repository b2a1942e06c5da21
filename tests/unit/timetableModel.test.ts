import { describe, expect, it } from "vitest";
import {
  layoutWeek,
  lessonStatusText,
  listWindows,
  mondayOfInstant,
  REVIEW_TEXT_MAX,
  splitByTime,
  type TimetableLesson,
  weekWindow,
} from "../../app/_components/TimetableModel";
import { REVIEW_BODY_MAX } from "../../server/trade/lessonReview";

const HOUR_MS = 3_600_000;

function lesson(id: string, start: string, slots = 2, patch: Partial<TimetableLesson> = {}) {
  const startsAt = new Date(start);
  return {
    id,
    orderId: "1",
    teacherId: "2",
    startsAt,
    endsAt: new Date(startsAt.getTime() + slots * 1_800_000),
    slots,
    status: "booked",
    hoursReturned: null,
    cancelledBy: null,
    cancelReason: null,
    completedBy: null,
    courseTitle: "Conversation",
    teacherName: "Tessa",
    studentName: "Sam",
    reviewed: false,
    holdExpiresAt: null,
    actions: {
      reschedule: false,
      cancel: false,
      cancelForfeits: false,
      complete: false,
      review: false,
    },
    ...patch,
  } satisfies TimetableLesson;
}

describe("week windows in the viewer's zone", () => {
  it("run from local Monday midnight to the next, across a DST change", () => {
    // Europe/Paris moves to summer time on Sunday 30 March 2025.
    const w = weekWindow("2025-03-24", "Europe/Paris");
    expect(w.from.toISOString()).toBe("2025-03-23T23:00:00.000Z");
    expect(w.to.toISOString()).toBe("2025-03-30T22:00:00.000Z");
    expect((w.to.getTime() - w.from.getTime()) / HOUR_MS).toBe(167);
  });

  it("finds the local Monday of an instant", () => {
    // Sunday 23:30 UTC is already Monday in Tokyo.
    const at = new Date("2025-06-01T23:30:00Z");
    expect(mondayOfInstant(at, "UTC")).toBe("2025-05-26");
    expect(mondayOfInstant(at, "Asia/Tokyo")).toBe("2025-06-02");
  });
});

describe("list windows", () => {
  it("are disjoint around the anchor floored to the half hour, 400 days each", () => {
    const { past, upcoming } = listWindows(Date.parse("2025-06-01T10:17:00Z"));
    expect(past.to).toEqual(upcoming.from);
    expect(upcoming.from.toISOString()).toBe("2025-06-01T10:00:00.000Z");
    expect((upcoming.to.getTime() - upcoming.from.getTime()) / (24 * HOUR_MS)).toBe(400);
  });

  it("split lessons: under way counts as upcoming; past is latest first", () => {
    const now = Date.parse("2025-06-01T10:15:00Z");
    const a = lesson("a", "2025-05-30T10:00:00Z");
    const b = lesson("b", "2025-05-31T10:00:00Z");
    const onNow = lesson("c", "2025-06-01T10:00:00Z");
    const next = lesson("d", "2025-06-02T10:00:00Z");
    const { upcoming, past } = splitByTime([next, a, onNow, b], now);
    expect(upcoming.map((l) => l.id)).toEqual(["c", "d"]);
    expect(past.map((l) => l.id)).toEqual(["b", "a"]);
  });
});

describe("week layout", () => {
  it("places lessons by local wall-clock time and widens the hours to fit them", () => {
    const layout = layoutWeek(
      [
        lesson("early", "2025-06-02T04:30:00Z", 1), // 06:30 in Paris, Monday
        lesson("late", "2025-06-08T20:00:00Z", 4), // 22:00–24:00 in Paris, Sunday
      ],
      "2025-06-02",
      "Europe/Paris",
    );
    expect(layout.days.map((d) => d.date)).toEqual([
      "2025-06-02",
      "2025-06-03",
      "2025-06-04",
      "2025-06-05",
      "2025-06-06",
      "2025-06-07",
      "2025-06-08",
    ]);
    expect(layout.days[0]!.lessons[0]).toMatchObject({ startMinute: 390, minutes: 30 });
    expect(layout.days[6]!.lessons[0]).toMatchObject({ startMinute: 1320, minutes: 120 });
    expect(layout).toMatchObject({ firstHour: 6, lastHour: 24 });
  });

  it("cuts a lesson at local midnight and keeps the default hours otherwise", () => {
    const layout = layoutWeek([lesson("x", "2025-06-03T21:30:00Z", 2)], "2025-06-02", "UTC");
    expect(layout.days[1]!.lessons[0]).toMatchObject({ startMinute: 1290, minutes: 60 });
    expect(layout).toMatchObject({ firstHour: 7, lastHour: 23 });
    const plain = layoutWeek([lesson("y", "2025-06-03T09:00:00Z")], "2025-06-02", "UTC");
    expect(plain).toMatchObject({ firstHour: 7, lastHour: 21 });
  });

  it("puts overlapping lessons side by side, and only those", () => {
    const cancelled = lesson("a", "2025-06-03T09:00:00Z", 2, { status: "cancelled" });
    const rebooked = lesson("b", "2025-06-03T09:30:00Z", 2);
    const apart = lesson("c", "2025-06-03T14:00:00Z", 2);
    const day = layoutWeek([apart, rebooked, cancelled], "2025-06-02", "UTC").days[1]!;
    expect(day.lessons.map((p) => [p.lesson.id, p.lane, p.lanes])).toEqual([
      ["a", 0, 2],
      ["b", 1, 2],
      ["c", 0, 1],
    ]);
  });

  it("leaves out lessons outside the week", () => {
    const layout = layoutWeek([lesson("z", "2025-06-09T09:00:00Z")], "2025-06-02", "UTC");
    expect(layout.days.every((d) => d.lessons.length === 0)).toBe(true);
  });
});

describe("lesson status in words", () => {
  const l = (patch: Partial<TimetableLesson>) => lesson("s", "2025-06-03T09:00:00Z", 2, patch);

  it("names held, booked, completed and no-show lessons", () => {
    expect(lessonStatusText(l({ status: "held" }), "student")).toBe("Awaiting payment");
    expect(lessonStatusText(l({ status: "booked" }), "teacher")).toBe("Booked");
    expect(lessonStatusText(l({ status: "completed", completedBy: "teacher" }), "student")).toBe(
      "Completed",
    );
    expect(lessonStatusText(l({ status: "completed", completedBy: "system" }), "student")).toMatch(
      /automatically/,
    );
    expect(lessonStatusText(l({ status: "no_show" }), "teacher")).toMatch(/didn't come/);
  });

  it("says who cancelled, why, and what became of the hours", () => {
    const byTeacher = l({
      status: "cancelled",
      cancelledBy: "teacher",
      cancelReason: "Sick",
      hoursReturned: true,
    });
    expect(lessonStatusText(byTeacher, "student")).toBe(
      "Cancelled by teacher — Sick; 1 hour returned to the package",
    );
    expect(lessonStatusText(byTeacher, "teacher")).toBe(
      "Cancelled by you — Sick; 1 hour returned to the package",
    );
    const late = l({ status: "cancelled", cancelledBy: "student", hoursReturned: false, slots: 3 });
    expect(lessonStatusText(late, "teacher")).toBe("Cancelled by student; 1.5 hours forfeited");
    const byOps = l({ status: "cancelled", cancelledBy: "admin", hoursReturned: true, slots: 1 });
    expect(lessonStatusText(byOps, "student")).toBe(
      "Cancelled by Halfhour; 30 minutes returned to the package",
    );
  });
});

it("the review form allows what the server allows", () => {
  expect(REVIEW_TEXT_MAX).toBe(REVIEW_BODY_MAX);
});
