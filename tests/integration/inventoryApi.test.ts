import superjson, { type SuperJSONResult } from "superjson";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import type { AppSession } from "../../server/identity/session";
import { SlotState } from "../../server/inventory/slotBitmap";
import { createTeacher, createUser, sessionOf } from "../fixtures";

interface ErrorBody {
  message: string;
  data: { httpStatus: number; fieldErrors: Record<string, string[]> | null };
}

/** The real tRPC HTTP handler, as the Next.js route calls it: queries GET, mutations POST. */
async function call(path: string, input: unknown, session: AppSession | null = null) {
  const isQuery = path.startsWith("availability.");
  const encoded = superjson.serialize(input);
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (isQuery) url.searchParams.set("input", JSON.stringify(encoded));
  const res = await handleTrpcRequest(
    new Request(url, {
      method: isQuery ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: isQuery ? undefined : JSON.stringify(encoded),
    }),
    async () => session,
  );
  const body = (await res.json()) as {
    result?: { data: SuperJSONResult };
    error?: { json: ErrorBody };
  };
  return {
    status: res.status,
    data: body.result ? superjson.deserialize(body.result.data) : undefined,
    error: body.error?.json,
  };
}

async function teacherIn(timeZone = "Europe/London") {
  const { user, teacher } = await createTeacher({ timeZone });
  return { session: sessionOf(user), teacherId: teacher.id };
}

const fieldsOf = (error: ErrorBody | undefined) => Object.keys(error?.data.fieldErrors ?? {});
const londonToday = () => Temporal.Now.plainDateISO("Europe/London");

describe("schedule validation over HTTP", () => {
  it("answers 400 naming start for a time not on the half hour", async () => {
    const { session } = await teacherIn();
    const res = await call(
      "schedule.publish",
      { start: new Date("2027-05-03T10:15:00Z"), slots: 1 },
      session,
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual(["start"]);
  });

  it("answers 400 naming start for a time in the past", async () => {
    const { session } = await teacherIn();
    const res = await call(
      "schedule.publish",
      { start: new Date("2020-01-06T10:00:00Z"), slots: 1 },
      session,
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual(["start"]);
    expect(res.error?.message).toMatch(/past/);
  });

  it("applyPattern: 400 naming to for more than 365 days; exactly 365 is accepted", async () => {
    const { session } = await teacherIn();
    const from = londonToday();
    const tooLong = await call(
      "schedule.applyPattern",
      { from: from.toString(), to: from.add({ days: 365 }).toString() },
      session,
    );
    expect(tooLong.status).toBe(400);
    expect(fieldsOf(tooLong.error)).toEqual(["to"]);
    const aYear = await call(
      "schedule.applyPattern",
      {
        windows: [{ weekday: 1, start: "09:00", end: "10:00" }],
        from: from.toString(),
        to: from.add({ days: 364 }).toString(),
        dryRun: true,
      },
      session,
    );
    expect(aYear.status).toBe(200);
  });

  it("applyPattern: 400 naming windows when there is nothing to apply", async () => {
    const { session } = await teacherIn();
    const from = londonToday();
    const empty = await call(
      "schedule.applyPattern",
      { from: from.toString(), to: from.add({ days: 7 }).toString() },
      session,
    );
    expect(empty.status).toBe(400);
    expect(fieldsOf(empty.error)).toEqual(["windows"]);
  });

  it("applyPattern: 400 naming from when it starts before today in the teacher's zone", async () => {
    const { session } = await teacherIn();
    const res = await call(
      "schedule.applyPattern",
      { from: londonToday().subtract({ days: 1 }).toString(), to: londonToday().toString() },
      session,
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual(["from"]);
  });

  it("applyPattern: 400 naming windows.0.end for a window ending before it starts", async () => {
    const { session } = await teacherIn();
    const res = await call(
      "schedule.applyPattern",
      {
        windows: [{ weekday: 1, start: "10:00", end: "09:00" }],
        from: londonToday().toString(),
        to: londonToday().add({ days: 7 }).toString(),
      },
      session,
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual(["windows.0.end"]);
  });

  it("answers 409 with a clear message when publishing a slot already published", async () => {
    const { session } = await teacherIn();
    const input = { start: new Date("2027-05-03T10:00:00Z"), slots: 2 };
    expect((await call("schedule.publish", input, session)).status).toBe(200);
    const again = await call("schedule.publish", input, session);
    expect(again.status).toBe(409);
    expect(again.error?.message).toMatch(/nothing was saved/i);
    expect(again.error?.message).not.toMatch(/went wrong on our side/);
  });
});

describe("calendar access over HTTP", () => {
  const slot = { start: new Date("2027-06-07T09:00:00Z"), slots: 1 };

  it("answers 401 to anonymous callers", async () => {
    expect((await call("schedule.publish", slot)).status).toBe(401);
    expect((await call("availability.week", { weekStart: "2027-06-07" })).status).toBe(401);
  });

  it("answers 403 to a student", async () => {
    const student = sessionOf(await createUser("student"));
    const res = await call("schedule.publish", slot, student);
    expect(res.status).toBe(403);
    expect((await call("availability.week", { weekStart: "2027-06-07" }, student)).status).toBe(
      403,
    );
  });

  it("answers 403 to a teacher naming another teacher's calendar, and changes nothing", async () => {
    const me = await teacherIn();
    const other = await teacherIn();
    const res = await call("schedule.publish", { ...slot, teacherId: other.teacherId }, me.session);
    expect(res.status).toBe(403);
    const week = await call(
      "availability.week",
      { weekStart: "2027-06-07", teacherId: other.teacherId },
      me.session,
    );
    expect(week.status).toBe(403);
    const free = await call("availability.free", {
      teacherId: other.teacherId,
      from: slot.start,
      days: 1,
    });
    expect(free.data).toEqual({ slots: [] });
  });

  it("lets an admin act on a teacher's calendar by naming it, and asks for the name otherwise", async () => {
    const admin = sessionOf(await createUser("admin"));
    const { teacherId } = await teacherIn();
    const res = await call("schedule.publish", { ...slot, teacherId }, admin);
    expect(res.status).toBe(200);
    const free = await call("availability.free", { teacherId, from: slot.start, days: 1 });
    expect(free.data).toEqual({ slots: [slot.start] });

    const unnamed = await call("schedule.publish", slot, admin);
    expect(unnamed.status).toBe(400);
    expect(fieldsOf(unnamed.error)).toEqual(["teacherId"]);
  });

  it("availability.free answers 400 naming teacherId for an unknown teacher", async () => {
    const res = await call("availability.free", { teacherId: "123456789" });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual(["teacherId"]);
  });
});

interface Week {
  timeZone: string;
  days: { date: string; slots: { start: Date; state: SlotState }[] }[];
}

async function weekOf(timeZone: string, weekStart: string) {
  const { session } = await teacherIn(timeZone);
  const res = await call("availability.week", { weekStart }, session);
  expect(res.status).toBe(200);
  return res.data as Week;
}

const localTime = (at: Date, timeZone: string) =>
  Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone);

describe("availability.week over HTTP", () => {
  it("Europe/London, a normal week: 7 days of 48 slots, local midnight to 23:30", async () => {
    const { session } = await teacherIn("Europe/London");
    const published = new Date("2027-01-12T09:00:00Z"); // Tuesday 09:00 GMT
    await call("schedule.publish", { start: published, slots: 1 }, session);
    const res = await call("availability.week", { weekStart: "2027-01-11" }, session);
    const week = res.data as Week;
    expect(week.days.map((d) => d.date)).toEqual([
      "2027-01-11",
      "2027-01-12",
      "2027-01-13",
      "2027-01-14",
      "2027-01-15",
      "2027-01-16",
      "2027-01-17",
    ]);
    expect(week.days.map((d) => d.slots.length)).toEqual(Array(7).fill(48));
    expect(week.days[0]!.slots[0]!.start).toEqual(new Date("2027-01-11T00:00:00Z"));
    expect(week.days[6]!.slots[47]!.start).toEqual(new Date("2027-01-17T23:30:00Z"));
    const states = week.days.flatMap((d) => d.slots).filter((s) => s.state !== 0);
    expect(states).toEqual([{ start: published, state: SlotState.Published }]);
  });

  it("America/New_York: 46 slots on the spring-forward day (2027-03-14), 50 on fall-back", async () => {
    const spring = await weekOf("America/New_York", "2027-03-08");
    expect(spring.days.map((d) => d.slots.length)).toEqual([48, 48, 48, 48, 48, 48, 46]);
    expect(spring.days[6]!.date).toBe("2027-03-14");
    const fall = await weekOf("America/New_York", "2027-11-01");
    expect(fall.days.map((d) => d.slots.length)).toEqual([48, 48, 48, 48, 48, 48, 50]);
  });

  it("Asia/Kathmandu (+05:45): 48 slots a day, each starting at :15 or :45 local", async () => {
    const week = await weekOf("Asia/Kathmandu", "2027-01-11");
    expect(week.days.map((d) => d.slots.length)).toEqual(Array(7).fill(48));
    for (const day of week.days) {
      for (const { start } of day.slots) {
        const local = localTime(start, "Asia/Kathmandu");
        expect([15, 45]).toContain(local.minute);
        expect(local.toPlainDate().toString()).toBe(day.date);
      }
    }
    expect(
      localTime(week.days[0]!.slots[0]!.start, "Asia/Kathmandu").toPlainTime().toString(),
    ).toBe("00:15:00");
  });
});
