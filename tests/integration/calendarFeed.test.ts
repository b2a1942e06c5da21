import { describe, expect, it } from "vitest";
import * as feedRoute from "../../app/calendar/[token]/route";
import { getDb } from "../../db/client";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { createUser, sessionOf } from "../fixtures";
import { createPaidPackage, createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

const ORIGIN = "https://halfhour.example";

const api = (session: AppSession | null) =>
  createCaller({ db: getDb(), cache: getCache(), session, requestId: "test" });

/** The route handler as Next.js calls it for GET /calendar/<segment>. */
async function fetchFeed(segment: string) {
  const res = await feedRoute.GET(new Request(`${ORIGIN}/calendar/${segment}`), {
    params: Promise.resolve({ token: segment }),
  });
  // iCalendar folds long lines at 75 octets: unfold before looking for text.
  return { res, body: (await res.text()).replace(/\r\n[ \t]/g, "") };
}

const events = (body: string) => body.split("BEGIN:VEVENT").length - 1;

/** A teacher and a student with three booked hour-long lessons, one of them then cancelled. */
async function scenario() {
  const teacher = await createSellingTeacher({ displayName: "Tessa Teacher" });
  const { student, order } = await createPaidPackage(teacher, 10);
  const studentSession = sessionOf(student);
  const starts = [slotFromNow(48), slotFromNow(72), slotFromNow(96)];
  const ids: string[] = [];
  for (const start of starts) {
    await publish(teacher.teacher.id, { start, slots: 2 });
    const booked = await api(studentSession).lessons.book({ orderId: order.id, start, slots: 2 });
    ids.push(booked.lessonId);
  }
  await api(sessionOf(teacher.user)).lessons.cancel({ lessonId: ids[2]!, reason: "Conference" });
  return { teacher, studentSession, teacherSession: sessionOf(teacher.user), ids, starts };
}

describe("calendar feed route", () => {
  it("is dynamic: never prerendered or cached by Next.js", () => {
    expect(feedRoute.dynamic).toBe("force-dynamic");
  });

  it("serves a student's booked lessons as iCalendar events linking to their timetable", async () => {
    const s = await scenario();
    expect(await api(s.studentSession).calendarFeed.get()).toEqual({ token: null });
    const { token } = await api(s.studentSession).calendarFeed.rotate();
    expect(await api(s.studentSession).calendarFeed.get()).toEqual({ token });

    const { res, body } = await fetchFeed(`${token}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, max-age=300");
    expect(res.headers.get("content-disposition")).toBe('inline; filename="halfhour.ics"');
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(body.trimEnd()).toMatch(/END:VCALENDAR$/);
    // The two booked lessons; the cancelled one is gone from the feed.
    expect(events(body)).toBe(2);
    expect(body).toContain(`UID:lesson-${s.ids[0]}@halfhour`);
    expect(body).toContain(`UID:lesson-${s.ids[1]}@halfhour`);
    expect(body).not.toContain(`lesson-${s.ids[2]}@halfhour`);
    const stamp = (d: Date) =>
      d
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    expect(body).toContain(`DTSTART:${stamp(s.starts[0]!)}`);
    expect(body).toContain("SUMMARY:Conversation with Tessa Teacher");
    expect(body).toContain(`URL;VALUE=URI:${ORIGIN}/me/timetable`);
  });

  it("serves a teacher's lessons with the student's name, linking to the teacher timetable", async () => {
    const s = await scenario();
    const { token } = await api(s.teacherSession).calendarFeed.rotate();
    const { res, body } = await fetchFeed(`${token}.ics`);
    expect(res.status).toBe(200);
    expect(events(body)).toBe(2);
    expect(body).toContain("SUMMARY:Conversation with Sam Student");
    expect(body).toContain(`${ORIGIN}/dashboard/timetable`);
  });

  it("answers 404 for unknown, malformed, rotated and revoked tokens", async () => {
    const s = await scenario();
    const first = (await api(s.studentSession).calendarFeed.rotate()).token;
    const second = (await api(s.studentSession).calendarFeed.rotate()).token;
    expect(second).not.toBe(first);

    const rotated = await fetchFeed(`${first}.ics`);
    expect(rotated.res.status).toBe(404);
    expect(rotated.res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(rotated.body).not.toContain("VCALENDAR");
    expect((await fetchFeed(`${second}.ics`)).res.status).toBe(200);

    expect((await fetchFeed("not-a-token.ics")).res.status).toBe(404);
    expect((await fetchFeed(`${"A".repeat(32)}.ics`)).res.status).toBe(404);
    expect((await fetchFeed(".ics")).res.status).toBe(404);

    expect(await api(s.studentSession).calendarFeed.revoke()).toEqual({ token: null });
    expect(await api(s.studentSession).calendarFeed.get()).toEqual({ token: null });
    expect((await fetchFeed(`${second}.ics`)).res.status).toBe(404);
  });

  it("gives an account without lessons an empty calendar, and is for signed-in users", async () => {
    const student = sessionOf(await createUser("student"));
    const { token } = await api(student).calendarFeed.rotate();
    const { res, body } = await fetchFeed(`${token}.ics`);
    expect(res.status).toBe(200);
    expect(events(body)).toBe(0);
    await expect(api(null).calendarFeed.rotate()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api(null).calendarFeed.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
