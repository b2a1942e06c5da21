import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { fieldErrorsOf } from "../../server/api/errors";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { SLOT_MS } from "../../server/inventory/slotBitmap";
import { bookLesson } from "../../server/trade/lessonBooking";
import { closeLesson } from "../../server/trade/lessonClosing";
import { createUser, sessionOf } from "../fixtures";
import { createPaidPackage, createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const api = (session: AppSession | null) =>
  createCaller({ db: getDb(), cache: getCache(), session, requestId: "test" });

/** What a call failed with: the tRPC code and the fields the client is told about. */
async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return {
      code: error.code,
      message: error.message,
      fields: Object.keys(fieldErrorsOf(error.cause) ?? {}),
    };
  }
  throw new Error("expected the call to fail");
}

/** A slot-aligned instant `hours` ago. */
const slotAgo = (hours: number) =>
  new Date(Math.floor((Date.now() - hours * HOUR_MS) / SLOT_MS) * SLOT_MS);

/**
 * One teacher, one student with a 10-hour package and four lessons of an hour: one in three
 * days, one in five hours (inside the free-cancellation window), one that ended yesterday
 * (not yet marked) and one taken two days ago and completed.
 */
async function scenario() {
  const db = getDb();
  const teacher = await createSellingTeacher({ displayName: "Tessa Teacher" });
  const { student, order } = await createPaidPackage(teacher, 10);
  const teacherSession = sessionOf(teacher.user);
  const studentSession = sessionOf(student);

  const later = slotFromNow(72);
  const soon = slotFromNow(5);
  for (const start of [later, soon]) await publish(teacher.teacher.id, { start, slots: 2 });
  const booked = await api(studentSession).lessons.book({
    orderId: order.id,
    start: later,
    slots: 2,
  });
  const bookedSoon = await api(studentSession).lessons.book({
    orderId: order.id,
    start: soon,
    slots: 2,
  });

  // Lessons in the past are booked as of a moment before them (as the demo seed does).
  const ended = slotAgo(26);
  const taken = slotAgo(50);
  for (const start of [ended, taken]) await publish(teacher.teacher.id, { start, slots: 2 });
  const endedLesson = await bookLesson(
    db,
    student.id,
    { orderId: order.id, start: ended, slots: 2 },
    new Date(ended.getTime() - DAY_MS),
  );
  const takenLesson = await bookLesson(
    db,
    student.id,
    { orderId: order.id, start: taken, slots: 2 },
    new Date(taken.getTime() - DAY_MS),
  );
  await closeLesson(
    db,
    { role: "teacher", teacherId: teacher.teacher.id },
    { lessonId: takenLesson.id, outcome: "completed" },
    new Date(taken.getTime() + 2 * HOUR_MS),
  );

  return {
    teacher,
    student,
    order,
    teacherSession,
    studentSession,
    lessons: {
      later: booked.lessonId,
      soon: bookedSoon.lessonId,
      ended: endedLesson.id,
      taken: takenLesson.id,
    },
    window: { from: new Date(Date.now() - 7 * DAY_MS), to: new Date(Date.now() + 7 * DAY_MS) },
  };
}

const NONE = {
  reschedule: false,
  cancel: false,
  cancelForfeits: false,
  complete: false,
  review: false,
};

describe("lessons.timetable", () => {
  it("gives a student their lessons in time order with the teacher's name and what they may do", async () => {
    const s = await scenario();
    const rows = await api(s.studentSession).lessons.timetable(s.window);
    expect(rows.map((r) => r.id)).toEqual([
      s.lessons.taken,
      s.lessons.ended,
      s.lessons.soon,
      s.lessons.later,
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({
        teacherName: "Tessa Teacher",
        studentName: "Sam Student",
        courseTitle: "Conversation",
        slots: 2,
        teacherId: s.teacher.teacher.id,
      });
      expect(r.endsAt.getTime() - r.startsAt.getTime()).toBe(HOUR_MS);
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(s.lessons.taken)).toMatchObject({
      status: "completed",
      reviewed: false,
      actions: { ...NONE, review: true },
    });
    expect(byId.get(s.lessons.ended)).toMatchObject({ status: "booked", actions: NONE });
    expect(byId.get(s.lessons.soon)?.actions).toEqual({
      ...NONE,
      cancel: true,
      cancelForfeits: true,
    });
    expect(byId.get(s.lessons.later)?.actions).toEqual({ ...NONE, cancel: true, reschedule: true });
  });

  it("gives the teacher the same lessons with teacher actions; nobody else sees them", async () => {
    const s = await scenario();
    const rows = await api(s.teacherSession).lessons.timetable(s.window);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(4);
    expect(byId.get(s.lessons.ended)?.actions).toEqual({ ...NONE, complete: true });
    expect(byId.get(s.lessons.taken)?.actions).toEqual(NONE);
    expect(byId.get(s.lessons.soon)?.actions).toEqual({ ...NONE, cancel: true });
    expect(byId.get(s.lessons.later)?.actions).toEqual({ ...NONE, cancel: true });

    const otherTeacher = await createSellingTeacher();
    const otherStudent = sessionOf(await createUser("student"));
    expect(await api(sessionOf(otherTeacher.user)).lessons.timetable(s.window)).toEqual([]);
    expect(await api(otherStudent).lessons.timetable(s.window)).toEqual([]);
  });

  it("only returns lessons starting inside the window", async () => {
    const s = await scenario();
    const later = await api(s.studentSession).lessons.timetable({
      from: new Date(Date.now() + 24 * HOUR_MS),
      to: new Date(Date.now() + 4 * DAY_MS),
    });
    expect(later.map((r) => r.id)).toEqual([s.lessons.later]);
  });

  it("names the field of a bad window", async () => {
    const student = sessionOf(await createUser("student"));
    const now = new Date();
    expect(
      await failure(() => api(student).lessons.timetable({ from: now, to: now })),
    ).toMatchObject({ code: "BAD_REQUEST", fields: ["to"] });
    expect(
      await failure(() =>
        api(student).lessons.timetable({ from: now, to: new Date(now.getTime() + 401 * DAY_MS) }),
      ),
    ).toMatchObject({
      code: "BAD_REQUEST",
      fields: ["to"],
      message: expect.stringMatching(/400 days/),
    });
    expect(
      await failure(() =>
        api(student).lessons.timetable({ from: "yesterday" as unknown as Date, to: now }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", fields: ["from"] });
  });

  it("is for signed-in students and teachers", async () => {
    const window = { from: new Date(), to: new Date(Date.now() + DAY_MS) };
    expect(await failure(() => api(null).lessons.timetable(window))).toMatchObject({
      code: "UNAUTHORIZED",
    });
    const admin = sessionOf(await createUser("admin"));
    expect(await failure(() => api(admin).lessons.timetable(window))).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("lessons.cancel", () => {
  it("is not found for another teacher or student; a teacher must give a reason", async () => {
    const s = await scenario();
    const otherTeacher = sessionOf((await createSellingTeacher()).user);
    const otherStudent = sessionOf(await createUser("student"));
    expect(
      await failure(() =>
        api(otherTeacher).lessons.cancel({ lessonId: s.lessons.later, reason: "Not mine" }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(
      await failure(() => api(otherStudent).lessons.cancel({ lessonId: s.lessons.later })),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(
      await failure(() => api(s.teacherSession).lessons.cancel({ lessonId: s.lessons.later })),
    ).toMatchObject({ code: "BAD_REQUEST", fields: ["reason"] });
    expect(
      await failure(() =>
        api(s.teacherSession).lessons.cancel({ lessonId: s.lessons.later, reason: " x " }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", fields: ["reason"] });
    // Nothing changed.
    const [later] = await api(s.studentSession).lessons.timetable({
      from: new Date(Date.now() + 2 * DAY_MS),
      to: new Date(Date.now() + 4 * DAY_MS),
    });
    expect(later).toMatchObject({ id: s.lessons.later, status: "booked" });
  });

  it("by the teacher returns the hours and shows who cancelled and why", async () => {
    const s = await scenario();
    const before = await api(s.teacherSession).trade.teacherOrder({ orderId: s.order.id });
    const result = await api(s.teacherSession).lessons.cancel({
      lessonId: s.lessons.later,
      reason: "I am travelling that week",
    });
    expect(result).toEqual({ lessonId: s.lessons.later, hoursReturned: true });
    const rows = await api(s.studentSession).lessons.timetable(s.window);
    expect(rows.find((r) => r.id === s.lessons.later)).toMatchObject({
      status: "cancelled",
      cancelledBy: "teacher",
      cancelReason: "I am travelling that week",
      hoursReturned: true,
      actions: NONE,
    });
    const after = await api(s.teacherSession).trade.teacherOrder({ orderId: s.order.id });
    expect(after.slotsBooked).toBe(before.slotsBooked - 2);
    expect(after.slotsLeft).toBe(before.slotsLeft + 2);
  });

  it("by the student inside the window forfeits the hours", async () => {
    const s = await scenario();
    const result = await api(s.studentSession).lessons.cancel({ lessonId: s.lessons.soon });
    expect(result.hoursReturned).toBe(false);
    const order = await api(s.teacherSession).trade.teacherOrder({ orderId: s.order.id });
    const lesson = order.lessons.find((l) => l.id === s.lessons.soon);
    expect(lesson).toMatchObject({
      status: "cancelled",
      cancelledBy: "student",
      hoursReturned: false,
    });
    // Used: the completed lesson and the forfeited one.
    expect(order.slotsUsed).toBe(4);
  });

  it("refuses a lesson that has already ended", async () => {
    const s = await scenario();
    expect(
      await failure(() =>
        api(s.teacherSession).lessons.cancel({ lessonId: s.lessons.ended, reason: "Too late" }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
  });
});

describe("lessons.close", () => {
  it("is for the lesson's teacher, after the end, once", async () => {
    const s = await scenario();
    const otherTeacher = sessionOf((await createSellingTeacher()).user);
    expect(
      await failure(() =>
        api(otherTeacher).lessons.close({ lessonId: s.lessons.ended, outcome: "completed" }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(
      await failure(() =>
        api(s.studentSession).lessons.close({ lessonId: s.lessons.ended, outcome: "completed" }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await failure(() =>
        api(s.teacherSession).lessons.close({ lessonId: s.lessons.later, outcome: "completed" }),
      ),
    ).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/ended/) });

    expect(
      await api(s.teacherSession).lessons.close({ lessonId: s.lessons.ended, outcome: "no_show" }),
    ).toEqual({ lessonId: s.lessons.ended, status: "no_show" });
    expect(
      await failure(() =>
        api(s.teacherSession).lessons.close({ lessonId: s.lessons.ended, outcome: "completed" }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
    const rows = await api(s.teacherSession).lessons.timetable(s.window);
    expect(rows.find((r) => r.id === s.lessons.ended)).toMatchObject({
      status: "no_show",
      completedBy: "teacher",
      actions: NONE,
    });
  });
});

describe("lessons.review", () => {
  it("is for the lesson's student, once it is completed, once", async () => {
    const s = await scenario();
    const otherStudent = sessionOf(await createUser("student"));
    const review = { lessonId: s.lessons.taken, rating: 5, body: "Clear and patient." };
    expect(await failure(() => api(otherStudent).lessons.review(review))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await failure(() => api(s.teacherSession).lessons.review(review))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(
      await failure(() => api(s.studentSession).lessons.review({ ...review, rating: 6 })),
    ).toMatchObject({ code: "BAD_REQUEST", fields: ["rating"] });
    expect(
      await failure(() =>
        api(s.studentSession).lessons.review({ ...review, lessonId: s.lessons.later }),
      ),
    ).toMatchObject({ code: "CONFLICT" });

    const done = await api(s.studentSession).lessons.review(review);
    expect(done.reviewId).toBeTruthy();
    const rows = await api(s.studentSession).lessons.timetable(s.window);
    expect(rows.find((r) => r.id === s.lessons.taken)).toMatchObject({
      reviewed: true,
      actions: NONE,
    });
    expect(await failure(() => api(s.studentSession).lessons.review(review))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/already reviewed/),
    });
    const reviews = await api(null).reviews.list({ teacherId: s.teacher.teacher.id, limit: 5 });
    expect(reviews.items.map((r) => r.body)).toContain("Clear and patient.");
  });
});

describe("lessons.reschedule", () => {
  it("moves the student's own lesson to free time of the same length; taken time is refused", async () => {
    const s = await scenario();
    const otherStudent = sessionOf(await createUser("student"));
    const target = slotFromNow(96);
    expect(
      await failure(() =>
        api(otherStudent).lessons.reschedule({ lessonId: s.lessons.later, start: target }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    // Another student booked that time first.
    const taken = slotFromNow(120);
    await publish(s.teacher.teacher.id, { start: taken, slots: 2 });
    const rival = await createPaidPackage(s.teacher, 10);
    await api(sessionOf(rival.student)).lessons.book({
      orderId: rival.order.id,
      start: taken,
      slots: 2,
    });
    expect(
      await failure(() =>
        api(s.studentSession).lessons.reschedule({ lessonId: s.lessons.later, start: taken }),
      ),
    ).toMatchObject({
      code: "CONFLICT",
      message: "That time was just taken. Please pick another.",
    });
    // Inside the free-cancellation window the student may no longer move it.
    expect(
      await failure(() =>
        api(s.studentSession).lessons.reschedule({ lessonId: s.lessons.soon, start: target }),
      ),
    ).toMatchObject({ code: "CONFLICT" });

    await publish(s.teacher.teacher.id, { start: target, slots: 2 });
    const moved = await api(s.studentSession).lessons.reschedule({
      lessonId: s.lessons.later,
      start: target,
    });
    expect(moved.startsAt).toEqual(target);
    expect(moved.endsAt).toEqual(new Date(target.getTime() + HOUR_MS));
    const free = await api(null).availability.free({ teacherId: s.teacher.teacher.id, days: 7 });
    const freeMs = free.slots.map((d) => d.getTime());
    expect(freeMs).not.toContain(target.getTime());
    expect(freeMs).toContain(slotFromNow(72).getTime()); // the old time is free again
  });
});

describe("trade.teacherOrders and trade.teacherOrder", () => {
  it("show the teacher their students' orders with hours; others get not found or forbidden", async () => {
    const s = await scenario();
    const orders = await api(s.teacherSession).trade.teacherOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      id: s.order.id,
      studentName: "Sam Student",
      courseTitle: "Conversation",
      status: "active",
      slotsBought: 20,
      slotsUsed: 2,
      slotsBooked: 6,
      slotsLeft: 12,
    });
    const detail = await api(s.teacherSession).trade.teacherOrder({ orderId: s.order.id });
    expect(detail.lessons.map((l) => l.id)).toEqual([
      s.lessons.taken,
      s.lessons.ended,
      s.lessons.soon,
      s.lessons.later,
    ]);

    const otherTeacher = sessionOf((await createSellingTeacher()).user);
    expect(await api(otherTeacher).trade.teacherOrders()).toEqual([]);
    expect(
      await failure(() => api(otherTeacher).trade.teacherOrder({ orderId: s.order.id })),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(() => api(s.studentSession).trade.teacherOrders())).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
