import { eq } from "drizzle-orm";
import superjson, { type SuperJSONResult } from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { lessons, orders, teacherDays, teachers } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import type { AppSession } from "../../server/identity/session";
import { newId } from "../../server/ids/snowflake";
import { transitionSlots } from "../../server/inventory/transitionSlots";
import { createUser, sessionOf } from "../fixtures";
import { createPaidPackage, createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

interface ErrorBody {
  message: string;
  data: { httpStatus: number; fieldErrors: Record<string, string[]> | null };
}

const QUERIES = new Set([
  "trade.order",
  "trade.myOrders",
  "trade.teacherOrders",
  "lessons.timetable",
]);

/** The real tRPC HTTP handler, as the Next.js route calls it: queries GET, mutations POST. */
async function call(path: string, input: unknown, session: AppSession | null = null) {
  const isQuery = QUERIES.has(path);
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
    data: body.result
      ? (superjson.deserialize(body.result.data) as Record<string, unknown>)
      : undefined,
    error: body.error?.json,
  };
}

const fieldsOf = (error: ErrorBody | undefined) => Object.keys(error?.data.fieldErrors ?? {});

async function student() {
  return sessionOf(await createUser("student", "Sara Student"));
}

async function rowCounts() {
  const db = getDb();
  return {
    orders: (await db.select({ id: orders.id }).from(orders)).length,
    lessons: (await db.select({ id: lessons.id }).from(lessons)).length,
  };
}

async function daysOf(teacherId: string) {
  return getDb()
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(eq(teacherDays.teacherId, teacherId))
    .orderBy(teacherDays.day);
}

describe("checkout over HTTP", () => {
  it("issues order ids to students only", async () => {
    expect((await call("trade.newOrderId", undefined)).status).toBe(401);
    const teacher = await createSellingTeacher();
    expect((await call("trade.newOrderId", undefined, sessionOf(teacher.user))).status).toBe(403);
    const res = await call("trade.newOrderId", undefined, await student());
    expect(res.status).toBe(200);
    expect(res.data?.orderId).toMatch(/^\d+$/);
  });

  it("names every malformed field and writes nothing", async () => {
    const before = await rowCounts();
    const res = await call(
      "trade.placeOrder",
      {
        orderId: "not-an-id",
        teacherId: "x",
        courseId: "1",
        purchase: { kind: "lesson", slots: 9 },
        lesson: { start: "tomorrow", slots: 0 },
      },
      await student(),
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error).sort()).toEqual(
      ["lesson.slots", "lesson.start", "orderId", "purchase.slots", "teacherId"].sort(),
    );
    expect(res.error?.message).toContain("orderId");
    expect(await rowCounts()).toEqual(before);
  });

  it("books now, returns the same order for the same id, and tells the next student the time was taken", async () => {
    const teacher = await createSellingTeacher();
    const start = slotFromNow(72);
    await publish(teacher.teacher.id, { start, slots: 2 });
    const first = await student();
    const { data: issued } = await call("trade.newOrderId", undefined, first);
    const input = {
      orderId: issued!.orderId,
      teacherId: teacher.teacher.id,
      courseId: teacher.courseId,
      purchase: { kind: "lesson", slots: 2 },
      lesson: { start, slots: 2 },
    };
    const placed = await call("trade.placeOrder", input, first);
    expect(placed.status).toBe(200);
    expect(placed.data).toEqual({ orderId: issued!.orderId, created: true });
    const again = await call("trade.placeOrder", input, first);
    expect(again.data).toEqual({ orderId: issued!.orderId, created: false });

    const order = await call("trade.order", { orderId: issued!.orderId }, first);
    expect(order.data).toMatchObject({
      status: "pending_payment",
      slotsBought: 2,
      slotsBooked: 2,
      payableAmount: 3000,
      courseTitle: "Conversation",
    });

    const second = await student();
    const { data: other } = await call("trade.newOrderId", undefined, second);
    const lost = await call("trade.placeOrder", { ...input, orderId: other!.orderId }, second);
    expect(lost.status).toBe(409);
    expect(lost.error?.message).toBe("That time was just taken. Please pick another.");
    expect(fieldsOf(lost.error)).toEqual(["start"]);
    // Someone else's order is not found, not forbidden: ids reveal nothing.
    const peek = await call("trade.order", { orderId: issued!.orderId }, second);
    expect(peek.status).toBe(404);
  });
});

describe("booking rules at the edges over HTTP", () => {
  async function paid() {
    const teacher = await createSellingTeacher();
    const { student: owner, order } = await createPaidPackage(teacher, 10);
    return { teacher, session: sessionOf(owner), order };
  }

  async function expectNothingWritten(
    teacherId: string,
    attempt: () => Promise<{ status: number; error?: ErrorBody }>,
    status: number,
    field: string,
    message: RegExp,
  ) {
    const before = { rows: await rowCounts(), days: await daysOf(teacherId) };
    const res = await attempt();
    expect(res.status).toBe(status);
    expect(fieldsOf(res.error)).toEqual([field]);
    expect(res.error?.message).toMatch(message);
    expect({ rows: await rowCounts(), days: await daysOf(teacherId) }).toEqual(before);
  }

  it("refuses the past, the minimum notice, closed and blocked time, others' orders and missing hours", async () => {
    const { teacher, session, order } = await paid();
    const teacherId = teacher.teacher.id;
    const book = (start: Date, slots = 1, as = session, orderId = order.id) =>
      call("lessons.book", { orderId, start, slots }, as);

    await expectNothingWritten(teacherId, () => book(slotFromNow(-5)), 400, "start", /past/);

    const soon = slotFromNow(1.5);
    await publish(teacherId, { start: soon, slots: 1 });
    await expectNothingWritten(teacherId, () => book(soon), 400, "start", /2 hours notice/);
    await getDb().update(teachers).set({ minNoticeMinutes: 0 }).where(eq(teachers.id, teacherId));
    expect((await book(soon)).status).toBe(200);

    await expectNothingWritten(teacherId, () => book(slotFromNow(30)), 409, "start", /not opened/);

    const blocked = slotFromNow(40);
    await getDb().transaction((tx) =>
      transitionSlots(tx, teacherId, { start: blocked, slots: 1 }, "lock"),
    );
    await expectNothingWritten(teacherId, () => book(blocked), 409, "start", /blocked/);

    const free = slotFromNow(50);
    await publish(teacherId, { start: free, slots: 4 });
    const stranger = await student();
    await expectNothingWritten(
      teacherId,
      () => book(free, 1, stranger),
      404,
      "orderId",
      /No such order/,
    );
    await expectNothingWritten(
      teacherId,
      () => book(free, 1, session, newId()),
      404,
      "orderId",
      /No such order/,
    );

    const small = await createPaidPackage(teacher, 1);
    const smallSession = sessionOf(small.student);
    expect((await book(free, 2, smallSession, small.order.id)).status).toBe(200);
    await expectNothingWritten(
      teacherId,
      () => book(new Date(free.getTime() + 3_600_000), 1, smallSession, small.order.id),
      400,
      "slots",
      /No hours left/,
    );
  });

  it("refuses booking against an unpaid order", async () => {
    const teacher = await createSellingTeacher();
    const owner = await student();
    const { data: issued } = await call("trade.newOrderId", undefined, owner);
    await call(
      "trade.placeOrder",
      {
        orderId: issued!.orderId,
        teacherId: teacher.teacher.id,
        courseId: teacher.courseId,
        purchase: { kind: "package", hours: 10 },
      },
      owner,
    );
    const start = slotFromNow(30);
    await publish(teacher.teacher.id, { start, slots: 1 });
    const res = await call("lessons.book", { orderId: issued!.orderId, start, slots: 1 }, owner);
    expect(res.status).toBe(409);
    expect(res.error?.message).toMatch(/awaiting payment/);
    expect(fieldsOf(res.error)).toEqual(["orderId"]);
  });

  it("lets only the lesson's teacher close it and only its student review it", async () => {
    const { teacher, session, order } = await paid();
    const start = slotFromNow(30);
    await publish(teacher.teacher.id, { start, slots: 1 });
    const booked = await call("lessons.book", { orderId: order.id, start, slots: 1 }, session);
    const lessonId = booked.data!.lessonId;
    const stranger = await createSellingTeacher();
    const close = await call(
      "lessons.close",
      { lessonId, outcome: "completed" },
      sessionOf(stranger.user),
    );
    expect(close.status).toBe(404);
    const early = await call(
      "lessons.close",
      { lessonId, outcome: "completed" },
      sessionOf(teacher.user),
    );
    expect(early.status).toBe(409);
    expect(early.error?.message).toMatch(/once it has ended/);
    const review = await call("lessons.review", { lessonId, rating: 5, body: "Great" }, session);
    expect(review.status).toBe(409);
    const badRating = await call("lessons.review", { lessonId, rating: 6 }, session);
    expect(badRating.status).toBe(400);
    expect(fieldsOf(badRating.error)).toEqual(["rating"]);
    const teacherCancelsSilently = await call(
      "lessons.cancel",
      { lessonId },
      sessionOf(teacher.user),
    );
    expect(teacherCancelsSilently.status).toBe(400);
    expect(fieldsOf(teacherCancelsSilently.error)).toEqual(["reason"]);
  });
});
