import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Database, getDb } from "../../db/client";
import { courseVersions, lessons, orders, teacherDays, teachers } from "../../db/schema";
import { setCourseStatus, updateCourse } from "../../server/catalog/courseEditing";
import { DomainError } from "../../server/domainError";
import { listFreeSlots } from "../../server/inventory/freeSlots";
import { changeSlots } from "../../server/inventory/scheduleService";
import {
  SLOT_MS,
  SlotState,
  slotOf,
  slotsInState,
  stateAt,
} from "../../server/inventory/slotBitmap";
import { SlotConflict, SlotTaken } from "../../server/inventory/slotConflict";
import { confirmOrderPaid } from "../../server/trade/confirmOrderPaid";
import { bookLesson, rescheduleLesson } from "../../server/trade/lessonBooking";
import { cancelLesson, closeLesson } from "../../server/trade/lessonClosing";
import type { LessonRow } from "../../server/trade/lessonRecords";
import { StudentBusy } from "../../server/trade/lessonSlots";
import { findOrder, slotsLeft } from "../../server/trade/orderRecords";
import { newOrderId, type PlaceOrderInput, placeOrder } from "../../server/trade/placeOrder";
import { sweepTrade } from "../../server/trade/sweepTrade";
import { cancelUnpaidOrder } from "../../server/trade/unpaidOrders";
import { createUser } from "../fixtures";
import {
  createPaidPackage,
  createSellingTeacher,
  markOrderPaid,
  publish,
  slotFromNow,
} from "../tradeFixtures";
import { checkTradeInvariants } from "../tradeInvariants";

const db = getDb();
const MIN = 60_000;
const HOUR = 3_600_000;
const { Unpublished, Published, Reserved, Locked } = SlotState;

/** `n` half hours after `t`. */
const plus = (t: Date, n: number) => new Date(t.getTime() + n * SLOT_MS);
const later = (t: Date, ms: number) => new Date(t.getTime() + ms);

type SellingTeacher = Awaited<ReturnType<typeof createSellingTeacher>>;

/** A selling teacher with `slots` half hours published from `start`. */
async function teacherWithTime(start: Date, slots: number, options = {}) {
  const seller = await createSellingTeacher(options);
  await publish(seller.teacher.id, { start, slots });
  return seller;
}

/** The states of `n` consecutive slots of a teacher from `start`, read from the bits. */
async function statesOf(teacherId: string, start: Date, n: number): Promise<SlotState[]> {
  const rows = await db
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(eq(teacherDays.teacherId, teacherId));
  const byDay = new Map(rows.map((r) => [r.day, r.slots]));
  return Array.from({ length: n }, (_, i) => {
    const { day, index } = slotOf(plus(start, i));
    const bits = byDay.get(day);
    return bits ? stateAt(bits, index) : Unpublished;
  });
}

/** Every trade row and every teacher-day, to prove a refused call wrote nothing. */
async function everything() {
  return {
    orders: await db.select().from(orders).orderBy(orders.id),
    lessons: await db.select().from(lessons).orderBy(lessons.id),
    days: await db.select().from(teacherDays).orderBy(teacherDays.teacherId, teacherDays.day),
  };
}

/** The call is refused with a DomainError of this kind and field, and nothing changed. */
/** Trade's side of a payment alone (what applyPaymentToOrders calls), at a chosen instant. */
const confirmPaid = (orderId: string, database: Database, at: Date) =>
  database.transaction((tx) => confirmOrderPaid(tx, orderId, at));

async function refusedWithoutWrites(
  call: () => Promise<unknown>,
  expected: { kind: DomainError["kind"]; field: string },
  type: new (...args: never[]) => DomainError = DomainError,
): Promise<DomainError> {
  const before = await everything();
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, "expected the call to be refused").toBeInstanceOf(type);
  expect(error).toMatchObject(expected);
  expect(await everything()).toEqual(before);
  return error as DomainError;
}

/**
 * One teacher's books add up: the reserved bits are exactly the slots of its live (held or
 * booked) lessons and of the lessons that took place (completed or no-show: that time was
 * sold and used, so it stays reserved), and each order's counters match its lessons. While no
 * lesson of the teacher has been closed, the independent SQL check in tests/tradeInvariants.ts
 * must agree (it counts only live lessons as owning reserved bits).
 */
async function expectConsistent(teacherId: string) {
  const days = await db
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(eq(teacherDays.teacherId, teacherId));
  const reserved = days
    .flatMap((d) => slotsInState(d.day, d.slots, Reserved))
    .map((t) => t.getTime())
    .sort();
  const all = await db.select().from(lessons).where(eq(lessons.teacherId, teacherId));
  const isLive = (l: LessonRow) => l.status === "held" || l.status === "booked";
  const tookPlace = (l: LessonRow) => l.status === "completed" || l.status === "no_show";
  const owning = all.filter((l) => isLive(l) || tookPlace(l));
  const owned = owning
    .flatMap((l) => Array.from({ length: l.slots }, (_, i) => plus(l.startsAt, i).getTime()))
    .sort();
  expect(reserved).toEqual(owned);
  const own = await db.select().from(orders).where(eq(orders.teacherId, teacherId));
  const sum = (ls: LessonRow[]) => ls.reduce((n, l) => n + l.slots, 0);
  for (const order of own) {
    const mine = all.filter((l) => l.orderId === order.id);
    expect(order.slotsBooked, `booked of ${order.id}`).toBe(sum(mine.filter(isLive)));
    expect(order.slotsUsed, `used of ${order.id}`).toBe(
      sum(
        mine.filter((l) => tookPlace(l) || (l.status === "cancelled" && l.hoursReturned === false)),
      ),
    );
  }
  if (!all.some(tookPlace)) {
    expect(await checkTradeInvariants(db, { teacherIds: [teacherId] })).toEqual([]);
  }
}

async function lessonById(id: string) {
  const [row] = await db.select().from(lessons).where(eq(lessons.id, id));
  return row!;
}

async function orderById(id: string) {
  return (await findOrder(db, id))!;
}

function bookNow(seller: SellingTeacher, start: Date, slots: number, orderId = newOrderId()) {
  return {
    orderId,
    teacherId: seller.teacher.id,
    courseId: seller.courseId,
    purchase: { kind: "lesson", slots },
    lesson: { start, slots },
  } satisfies PlaceOrderInput;
}

function buyPackage(seller: SellingTeacher, hours: number, orderId = newOrderId()) {
  return {
    orderId,
    teacherId: seller.teacher.id,
    courseId: seller.courseId,
    purchase: { kind: "package", hours },
  } satisfies PlaceOrderInput;
}

describe("placeOrder: book now", () => {
  it("creates an unpaid order with a snapshot, amounts and a 15-minute hold; the lesson is held", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4, {
      displayName: "Tess Teacher",
      timeZone: "Asia/Shanghai",
    });
    const [version] = await db
      .select({ id: courseVersions.id })
      .from(courseVersions)
      .where(eq(courseVersions.courseId, seller.courseId));
    const student = await createUser("student");
    const now = new Date();

    const placed = await placeOrder(db, student.id, bookNow(seller, start, 2), now);

    expect(placed.created).toBe(true);
    expect(placed.order).toMatchObject({
      studentId: student.id,
      teacherId: seller.teacher.id,
      courseId: seller.courseId,
      courseVersionId: version!.id,
      courseTitle: "Conversation",
      teacherName: "Tess Teacher",
      teacherTimeZone: "Asia/Shanghai",
      pricePerHour: 3000,
      slotsBought: 2,
      slotsBooked: 2,
      slotsUsed: 0,
      listAmount: 3000,
      discountAmount: 0,
      payableAmount: 3000,
      status: "pending_payment",
      version: 1,
      paidAt: null,
      closedAt: null,
    });
    expect(placed.order.holdExpiresAt.getTime()).toBe(now.getTime() + 15 * MIN);
    expect(placed.lesson).toMatchObject({
      orderId: placed.order.id,
      teacherId: seller.teacher.id,
      studentId: student.id,
      slots: 2,
      status: "held",
    });
    expect(placed.lesson!.startsAt).toEqual(start);
    expect(placed.lesson!.endsAt).toEqual(plus(start, 2));
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Reserved,
      Reserved,
      Published,
      Published,
    ]);
    await expectConsistent(seller.teacher.id);
  });

  it("prices an odd number of half hours once, rounded", async () => {
    const start = slotFromNow(48);
    const seller = await createSellingTeacher({
      courses: [{ title: "Odd", pricePerHour: 2501, packageHours: [1] }],
    });
    await publish(seller.teacher.id, { start, slots: 3 });
    const student = await createUser("student");
    const { order } = await placeOrder(db, student.id, bookNow(seller, start, 3));
    expect(order).toMatchObject({ slotsBought: 3, listAmount: 3752, payableAmount: 3752 });
  });

  it("books a lesson across midnight UTC on two teacher-days", async () => {
    const midnight = new Date(`${slotOf(slotFromNow(72)).day}T00:00:00Z`);
    const start = plus(midnight, -2);
    const seller = await teacherWithTime(start, 4);
    const student = await createUser("student");
    const { lesson } = await placeOrder(db, student.id, bookNow(seller, start, 3));
    expect(lesson!.endsAt).toEqual(plus(midnight, 1));
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Reserved,
      Reserved,
      Reserved,
      Published,
    ]);
    await expectConsistent(seller.teacher.id);
  });

  it("returns the same order when the id is submitted again, writing nothing", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 6);
    const student = await createUser("student");
    const first = await placeOrder(db, student.id, bookNow(seller, start, 2));
    const before = await everything();

    const again = await placeOrder(db, student.id, bookNow(seller, start, 2, first.order.id));
    // Even with other choices (another tab changed its mind), the id names the first order.
    const changed = await placeOrder(
      db,
      student.id,
      bookNow(seller, plus(start, 3), 3, first.order.id),
    );

    for (const result of [again, changed]) {
      expect(result.created).toBe(false);
      expect(result.order).toEqual(first.order);
      expect(result.lesson).toEqual(first.lesson);
    }
    expect(await everything()).toEqual(before);
  });

  it("returns the placed order on resubmission even after the course or teacher changed", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const first = await placeOrder(db, student.id, bookNow(seller, start, 2));
    await setCourseStatus(db, seller.teacher.id, seller.courseId, "retired");
    await db
      .update(teachers)
      .set({ status: "suspended" })
      .where(eq(teachers.id, seller.teacher.id));
    const before = await everything();
    const again = await placeOrder(db, student.id, bookNow(seller, start, 2, first.order.id));
    expect(again).toEqual({ ...first, created: false });
    expect(await everything()).toEqual(before);
  });

  it("gives another student a conflict on the same id", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4);
    const student = await createUser("student");
    const other = await createUser("student");
    const first = await placeOrder(db, student.id, bookNow(seller, start, 2));
    await refusedWithoutWrites(
      () => placeOrder(db, other.id, bookNow(seller, plus(start, 2), 2, first.order.id)),
      { kind: "conflict", field: "orderId" },
    );
  });

  it("rejects an order id issued too long ago, or not yet issued", async () => {
    const start = slotFromNow(72);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const orderId = newOrderId();
    await refusedWithoutWrites(
      () =>
        placeOrder(
          db,
          student.id,
          bookNow(seller, start, 2, orderId),
          later(new Date(), 25 * HOUR),
        ),
      { kind: "invalid", field: "orderId" },
    );
    await refusedWithoutWrites(
      () =>
        placeOrder(db, student.id, bookNow(seller, start, 2, orderId), later(new Date(), -5 * MIN)),
      { kind: "invalid", field: "orderId" },
    );
    // The same id is still good today.
    expect((await placeOrder(db, student.id, bookNow(seller, start, 2, orderId))).created).toBe(
      true,
    );
  });

  it("refuses a lesson that does not match what is bought, or is too long", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 6);
    const student = await createUser("student");
    await refusedWithoutWrites(
      () =>
        placeOrder(db, student.id, {
          ...bookNow(seller, start, 2),
          lesson: { start, slots: 3 },
        }),
      { kind: "invalid", field: "lesson" },
    );
    await refusedWithoutWrites(
      () => placeOrder(db, student.id, { ...bookNow(seller, start, 2), lesson: undefined }),
      { kind: "invalid", field: "lesson" },
    );
    await refusedWithoutWrites(() => placeOrder(db, student.id, bookNow(seller, start, 5)), {
      kind: "invalid",
      field: "lesson.slots",
    });
    await refusedWithoutWrites(
      () =>
        placeOrder(db, student.id, {
          ...buyPackage(seller, 10),
          lesson: { start: later(start, 10 * MIN), slots: 2 },
        }),
      { kind: "invalid", field: "lesson.start" },
    );
  });
});

describe("placeOrder: packages and what is on sale", () => {
  it("buys a package with no lesson: no lesson, no slots touched", async () => {
    const seller = await createSellingTeacher();
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, buyPackage(seller, 20));
    expect(placed.created).toBe(true);
    expect(placed.lesson).toBeNull();
    expect(placed.order).toMatchObject({
      slotsBought: 40,
      slotsBooked: 0,
      slotsUsed: 0,
      listAmount: 60_000,
      payableAmount: 60_000,
      status: "pending_payment",
    });
    expect(await db.select().from(lessons).where(eq(lessons.orderId, placed.order.id))).toEqual([]);
    expect(
      await db.select().from(teacherDays).where(eq(teacherDays.teacherId, seller.teacher.id)),
    ).toEqual([]);
  });

  it("buys a package with the first lesson held; paying books it", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, {
      ...buyPackage(seller, 10),
      lesson: { start, slots: 2 },
    });
    expect(placed.order).toMatchObject({ slotsBought: 20, slotsBooked: 2, listAmount: 30_000 });
    expect(placed.lesson).toMatchObject({ status: "held", slots: 2 });
    const paid = await markOrderPaid(placed.order.id);
    expect(paid).toMatchObject({ status: "paid", slotsBooked: 2 });
    expect(slotsLeft(paid)).toBe(18);
    expect((await lessonById(placed.lesson!.id)).status).toBe("booked");
    await expectConsistent(seller.teacher.id);
  });

  it("refuses a single lesson when the course is sold in packages only", async () => {
    const start = slotFromNow(48);
    const seller = await createSellingTeacher({
      courses: [{ title: "Packages only", pricePerHour: 3000, packageHours: [10, 20] }],
    });
    await publish(seller.teacher.id, { start, slots: 2 });
    const student = await createUser("student");
    await refusedWithoutWrites(() => placeOrder(db, student.id, bookNow(seller, start, 2)), {
      kind: "invalid",
      field: "purchase",
    });
  });

  it("refuses a package size the course does not offer", async () => {
    const seller = await createSellingTeacher();
    const student = await createUser("student");
    const error = await refusedWithoutWrites(
      () => placeOrder(db, student.id, buyPackage(seller, 60)),
      { kind: "invalid", field: "purchase.hours" },
    );
    expect(error.message).toMatch(/1, 10, 20 hours/);
  });

  it("refuses a retired course", async () => {
    const seller = await createSellingTeacher();
    await setCourseStatus(db, seller.teacher.id, seller.courseId, "retired");
    const student = await createUser("student");
    await refusedWithoutWrites(() => placeOrder(db, student.id, buyPackage(seller, 10)), {
      kind: "invalid",
      field: "courseId",
    });
  });

  it("refuses a teacher who is not approved", async () => {
    const seller = await createSellingTeacher({ status: "suspended" });
    const student = await createUser("student");
    await refusedWithoutWrites(() => placeOrder(db, student.id, buyPackage(seller, 10)), {
      kind: "invalid",
      field: "teacherId",
    });
  });

  it("refuses a course of another teacher", async () => {
    const seller = await createSellingTeacher();
    const other = await createSellingTeacher();
    const student = await createUser("student");
    await refusedWithoutWrites(
      () => placeOrder(db, student.id, { ...buyPackage(seller, 10), courseId: other.courseId }),
      { kind: "invalid", field: "courseId" },
    );
  });
});

describe("orders keep what was sold", () => {
  it("a later course edit (a new version) and rename leave the order's snapshot alone", async () => {
    const seller = await createSellingTeacher({ displayName: "Old Name" });
    const student = await createUser("student");
    const { order } = await placeOrder(db, student.id, buyPackage(seller, 10));

    await updateCourse(db, seller.teacher.id, {
      courseId: seller.courseId,
      version: 1,
      title: "Conversation, revised",
      description: "Now with more talking",
      level: "all",
      pricePerHour: 4500,
      packageHours: [1, 10, 20],
    });
    await db
      .update(teachers)
      .set({ displayName: "New Name" })
      .where(eq(teachers.id, seller.teacher.id));

    const kept = await orderById(order.id);
    expect(kept).toMatchObject({
      courseVersionId: order.courseVersionId,
      courseTitle: "Conversation",
      pricePerHour: 3000,
      teacherName: "Old Name",
      listAmount: 30_000,
      payableAmount: 30_000,
    });

    const fresh = await placeOrder(db, student.id, buyPackage(seller, 10));
    expect(fresh.order.courseVersionId).not.toBe(order.courseVersionId);
    expect(fresh.order).toMatchObject({
      courseTitle: "Conversation, revised",
      pricePerHour: 4500,
      teacherName: "New Name",
      listAmount: 45_000,
    });
  });
});

describe("holds", () => {
  it("a lapsed hold reads as free at once, before anything is written", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4);
    const student = await createUser("student");
    const now = new Date();
    const placed = await placeOrder(db, student.id, bookNow(seller, start, 2), now);
    const free = (at: Date) =>
      listFreeSlots(db, seller.teacher.id, { now: at, days: 4 }).then((ts) =>
        ts.map((t) => t.getTime()),
      );
    const expiry = placed.order.holdExpiresAt;

    expect(await free(later(expiry, -1))).toEqual([plus(start, 2), plus(start, 3)].map(Number));
    const before = await everything();
    expect(await free(expiry)).toEqual([0, 1, 2, 3].map((i) => plus(start, i).getTime()));
    // Only a read: the bits still say reserved and the order is still waiting.
    expect(await everything()).toEqual(before);
    expect(await statesOf(seller.teacher.id, start, 2)).toEqual([Reserved, Reserved]);
    expect((await orderById(placed.order.id)).status).toBe("pending_payment");
  });

  it("another student may book lapsed held time: the first order and its lesson expire", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4);
    const first = await createUser("student");
    const placed = await placeOrder(db, first.id, bookNow(seller, start, 2));
    const { student: second, order: pkg } = await createPaidPackage(seller, 10);
    const afterLapse = later(placed.order.holdExpiresAt, MIN);

    // Before the hold lapses the time is taken.
    await refusedWithoutWrites(
      () => bookLesson(db, second.id, { orderId: pkg.id, start: plus(start, 1), slots: 2 }),
      { kind: "conflict", field: "start" },
      SlotTaken,
    );
    // After, it is for sale; the booking overlaps only the held lesson's second half hour.
    const lesson = await bookLesson(
      db,
      second.id,
      { orderId: pkg.id, start: plus(start, 1), slots: 2 },
      afterLapse,
    );
    expect(lesson.status).toBe("booked");
    expect(await orderById(placed.order.id)).toMatchObject({
      status: "expired",
      slotsBooked: 0,
      closedAt: afterLapse,
    });
    expect((await lessonById(placed.lesson!.id)).status).toBe("expired");
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Published,
      Reserved,
      Reserved,
      Published,
    ]);
    await expectConsistent(seller.teacher.id);

    // Paying the expired order is a conflict; nothing moves.
    await refusedWithoutWrites(() => confirmPaid(placed.order.id, db, afterLapse), {
      kind: "conflict",
      field: "orderId",
    });
  });

  it("book now over a lapsed hold works the same way", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const first = await createUser("student");
    const second = await createUser("student");
    const placed = await placeOrder(db, first.id, bookNow(seller, start, 2));
    const afterLapse = later(placed.order.holdExpiresAt, 0);
    const taken = await placeOrder(db, second.id, bookNow(seller, start, 2), afterLapse);
    expect(taken.lesson!.status).toBe("held");
    expect((await orderById(placed.order.id)).status).toBe("expired");
    await expectConsistent(seller.teacher.id);
  });

  it("sweepTrade expires lapsed orders and frees their bits; running it again does nothing", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 6);
    const [a, b, c] = [await createUser(), await createUser(), await createUser()];
    const now = new Date();
    const lapsing = await placeOrder(db, a.id, bookNow(seller, start, 2), now);
    const lapsingPackage = await placeOrder(db, b.id, buyPackage(seller, 10), now);
    const running = await placeOrder(
      db,
      c.id,
      bookNow(seller, plus(start, 3), 2),
      later(now, 10 * MIN),
    );
    const sweepAt = later(now, 16 * MIN);

    const first = await sweepTrade(db, sweepAt);
    expect(first.expiredOrders).toBeGreaterThanOrEqual(2);
    expect(await orderById(lapsing.order.id)).toMatchObject({ status: "expired", slotsBooked: 0 });
    expect((await lessonById(lapsing.lesson!.id)).status).toBe("expired");
    expect((await orderById(lapsingPackage.order.id)).status).toBe("expired");
    expect((await orderById(running.order.id)).status).toBe("pending_payment");
    expect(await statesOf(seller.teacher.id, start, 6)).toEqual([
      Published,
      Published,
      Published,
      Reserved,
      Reserved,
      Published,
    ]);
    await expectConsistent(seller.teacher.id);

    const before = await everything();
    expect(await sweepTrade(db, sweepAt)).toEqual({
      expiredOrders: 0,
      completedLessons: 0,
      expiredPayments: 0,
      gatewayRefunds: 0,
    });
    expect(await everything()).toEqual(before);
  });

  it("cancelUnpaidOrder gives the held time back at once; only the buyer may, only once", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const other = await createUser("student");
    const placed = await placeOrder(db, student.id, bookNow(seller, start, 2));

    await refusedWithoutWrites(() => cancelUnpaidOrder(db, other.id, placed.order.id), {
      kind: "not_found",
      field: "orderId",
    });
    const now = new Date();
    await cancelUnpaidOrder(db, student.id, placed.order.id, now);
    expect(await orderById(placed.order.id)).toMatchObject({
      status: "cancelled",
      slotsBooked: 0,
      closedAt: now,
    });
    expect(await lessonById(placed.lesson!.id)).toMatchObject({
      status: "cancelled",
      cancelledBy: "student",
      hoursReturned: true,
    });
    expect(await statesOf(seller.teacher.id, start, 2)).toEqual([Published, Published]);
    await refusedWithoutWrites(() => cancelUnpaidOrder(db, student.id, placed.order.id), {
      kind: "conflict",
      field: "orderId",
    });
    await expectConsistent(seller.teacher.id);
  });

  it("confirmOrderPaid books the held lessons and marks the order paid, once", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, bookNow(seller, start, 2));
    const paidAt = new Date();
    const paid = await confirmPaid(placed.order.id, db, paidAt);
    expect(paid).toMatchObject({ status: "paid", paidAt, version: 2, slotsBooked: 2 });
    expect((await lessonById(placed.lesson!.id)).status).toBe("booked");
    expect(await statesOf(seller.teacher.id, start, 2)).toEqual([Reserved, Reserved]);
    await refusedWithoutWrites(() => confirmPaid(placed.order.id, db, new Date()), {
      kind: "conflict",
      field: "orderId",
    });
    await refusedWithoutWrites(
      () => db.transaction((tx) => confirmOrderPaid(tx, "123456789", new Date())),
      { kind: "not_found", field: "orderId" },
    );
    await expectConsistent(seller.teacher.id);
  });

  it("a payment after the hold lapsed, before anyone released it, is honoured", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, bookNow(seller, start, 2));
    const late = later(placed.order.holdExpiresAt, 5 * MIN);
    const paid = await confirmPaid(placed.order.id, db, late);
    expect(paid.status).toBe("paid");
    expect((await lessonById(placed.lesson!.id)).status).toBe("booked");
    // No longer a lapsed hold: the time is not offered to anyone else.
    const free = await listFreeSlots(db, seller.teacher.id, { now: late, days: 4 });
    expect(free).toEqual([]);
    const { student: rival, order: rivalPackage } = await createPaidPackage(seller, 10);
    await refusedWithoutWrites(
      () => bookLesson(db, rival.id, { orderId: rivalPackage.id, start, slots: 2 }, late),
      { kind: "conflict", field: "start" },
      SlotTaken,
    );
    await expectConsistent(seller.teacher.id);
  });

  it("paying an order the sweep expired is a conflict", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 2);
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, bookNow(seller, start, 2));
    const afterLapse = later(placed.order.holdExpiresAt, MIN);
    await sweepTrade(db, afterLapse);
    await refusedWithoutWrites(() => confirmPaid(placed.order.id, db, afterLapse), {
      kind: "conflict",
      field: "orderId",
    });
    expect((await orderById(placed.order.id)).status).toBe("expired");
  });
});

describe("bookLesson: rules at the edges write nothing", () => {
  async function setup(publishedSlots = 8) {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, publishedSlots);
    const { student, order } = await createPaidPackage(seller, 10);
    return { start, seller, student, order };
  }

  it("books against a paid order: slots reserved, hours counted", async () => {
    const { start, seller, student, order } = await setup();
    const lesson = await bookLesson(db, student.id, { orderId: order.id, start, slots: 3 });
    expect(lesson).toMatchObject({ status: "booked", slots: 3, orderId: order.id });
    expect(await orderById(order.id)).toMatchObject({
      status: "paid",
      slotsBooked: 3,
      version: order.version + 1,
    });
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Reserved,
      Reserved,
      Reserved,
      Published,
    ]);
    await expectConsistent(seller.teacher.id);
  });

  it("refuses a time in the past", async () => {
    const { student, order } = await setup();
    const error = await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: order.id, start: slotFromNow(-3), slots: 2 }),
      { kind: "invalid", field: "start" },
    );
    expect(error.message).toMatch(/past/);
  });

  it("refuses a time inside the teacher's minimum notice", async () => {
    const { start, seller, student, order } = await setup();
    const soon = slotFromNow(1);
    await publish(seller.teacher.id, { start: soon, slots: 2 });
    // Default notice: 2 hours.
    await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: order.id, start: soon, slots: 2 }),
      { kind: "invalid", field: "start" },
    );
    await db
      .update(teachers)
      .set({ minNoticeMinutes: 3 * 24 * 60 })
      .where(eq(teachers.id, seller.teacher.id));
    const error = await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: order.id, start, slots: 2 }),
      { kind: "invalid", field: "start" },
    );
    expect(error.message).toMatch(/72 hours notice/);
    // With no notice at all, the soon slot is fine.
    await db
      .update(teachers)
      .set({ minNoticeMinutes: 0 })
      .where(eq(teachers.id, seller.teacher.id));
    await bookLesson(db, student.id, { orderId: order.id, start: soon, slots: 2 });
    await expectConsistent(seller.teacher.id);
  });

  it("refuses unpublished time, even when part of the range is published", async () => {
    const { start, seller, student, order } = await setup(4);
    for (const range of [
      { start: plus(start, 10), slots: 2 },
      { start: plus(start, 2), slots: 4 },
    ]) {
      const error = await refusedWithoutWrites(
        () => bookLesson(db, student.id, { orderId: order.id, ...range }),
        { kind: "conflict", field: "start" },
        SlotConflict,
      );
      expect(error).not.toBeInstanceOf(SlotTaken);
      expect(error.message).toMatch(/not opened/);
    }
    expect(await statesOf(seller.teacher.id, start, 6)).toEqual([
      Published,
      Published,
      Published,
      Published,
      Unpublished,
      Unpublished,
    ]);
  });

  it("refuses a range over midnight whose second day is not published: the first day is untouched", async () => {
    const midnight = new Date(`${slotOf(slotFromNow(72)).day}T00:00:00Z`);
    const seller = await teacherWithTime(plus(midnight, -2), 2);
    // Give the second day a row, so the refusal is the compare-and-set, not a missing row.
    await publish(seller.teacher.id, { start: plus(midnight, 4), slots: 1 });
    const { student, order } = await createPaidPackage(seller, 10);
    await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: order.id, start: plus(midnight, -2), slots: 3 }),
      { kind: "conflict", field: "start" },
      SlotTaken,
    );
    expect(await statesOf(seller.teacher.id, plus(midnight, -2), 3)).toEqual([
      Published,
      Published,
      Unpublished,
    ]);
  });

  it("refuses locked time", async () => {
    const { start, seller, student, order } = await setup(4);
    await changeSlots(
      db,
      { teacherId: seller.teacher.id, timeZone: "Europe/London", status: "approved" },
      { start: plus(start, 2), slots: 1 },
      "lock",
    );
    const error = await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: order.id, start: plus(start, 1), slots: 3 }),
      { kind: "conflict", field: "start" },
      SlotConflict,
    );
    expect(error).not.toBeInstanceOf(SlotTaken);
    expect(error.message).toMatch(/blocked/);
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Published,
      Published,
      Locked,
      Published,
    ]);
  });

  it("refuses time another student has", async () => {
    const { start, seller, student, order } = await setup(4);
    await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    const rival = await createPaidPackage(seller, 10);
    await refusedWithoutWrites(
      () =>
        bookLesson(db, rival.student.id, {
          orderId: rival.order.id,
          start: plus(start, 1),
          slots: 2,
        }),
      { kind: "conflict", field: "start" },
      SlotTaken,
    );
  });

  it("refuses a time the student already has a lesson at, with another teacher", async () => {
    const { start, student, order } = await setup(4);
    await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    const otherSeller = await teacherWithTime(start, 4);
    const otherPlaced = await placeOrder(db, student.id, buyPackage(otherSeller, 10));
    await markOrderPaid(otherPlaced.order.id);
    await refusedWithoutWrites(
      () =>
        bookLesson(db, student.id, {
          orderId: otherPlaced.order.id,
          start: plus(start, 1),
          slots: 2,
        }),
      { kind: "conflict", field: "start" },
      StudentBusy,
    );
  });

  it("refuses another student's order as not found", async () => {
    const { start, order } = await setup();
    const stranger = await createUser("student");
    await refusedWithoutWrites(
      () => bookLesson(db, stranger.id, { orderId: order.id, start, slots: 2 }),
      { kind: "not_found", field: "orderId" },
    );
    await refusedWithoutWrites(
      () => bookLesson(db, stranger.id, { orderId: "123456789", start, slots: 2 }),
      { kind: "not_found", field: "orderId" },
    );
  });

  it("refuses more time than is left on the order", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 8);
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, buyPackage(seller, 1));
    await markOrderPaid(placed.order.id);
    const error = await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: placed.order.id, start, slots: 3 }),
      { kind: "invalid", field: "slots" },
    );
    expect(error.message).toMatch(/Only 1 hour left/);
    await bookLesson(db, student.id, { orderId: placed.order.id, start, slots: 2 });
    const none = await refusedWithoutWrites(
      () =>
        bookLesson(db, student.id, { orderId: placed.order.id, start: plus(start, 4), slots: 1 }),
      { kind: "invalid", field: "slots" },
    );
    expect(none.message).toMatch(/No hours left/);
    await expectConsistent(seller.teacher.id);
  });

  it("refuses an unpaid order", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4);
    const student = await createUser("student");
    const placed = await placeOrder(db, student.id, buyPackage(seller, 10));
    await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: placed.order.id, start, slots: 2 }),
      { kind: "conflict", field: "orderId" },
    );
  });

  it("refuses a lesson longer than 4 half hours, or of no length", async () => {
    const { start, student, order } = await setup();
    for (const slots of [5, 0]) {
      await refusedWithoutWrites(
        () => bookLesson(db, student.id, { orderId: order.id, start, slots }),
        { kind: "invalid", field: "slots" },
      );
    }
  });

  it("refuses booking once the teacher is suspended", async () => {
    const { start, seller, student, order } = await setup();
    await db
      .update(teachers)
      .set({ status: "suspended" })
      .where(eq(teachers.id, seller.teacher.id));
    await refusedWithoutWrites(
      () => bookLesson(db, student.id, { orderId: order.id, start, slots: 2 }),
      { kind: "conflict", field: "orderId" },
    );
  });
});

describe("rescheduleLesson", () => {
  async function booked(publishedSlots = 8) {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, publishedSlots);
    const { student, order } = await createPaidPackage(seller, 10);
    const lesson = await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    return { start, seller, student, order, lesson };
  }

  it("moves the lesson: the old slots are released, the new reserved, the hours unchanged", async () => {
    const { start, seller, student, order, lesson } = await booked();
    const orderBefore = await orderById(order.id);
    const moved = await rescheduleLesson(db, student.id, {
      lessonId: lesson.id,
      start: plus(start, 4),
    });
    expect(moved).toMatchObject({
      status: "booked",
      slots: 2,
      rescheduleCount: 1,
      version: lesson.version + 1,
    });
    expect(moved.startsAt).toEqual(plus(start, 4));
    expect(moved.endsAt).toEqual(plus(start, 6));
    expect(await statesOf(seller.teacher.id, start, 6)).toEqual([
      Published,
      Published,
      Published,
      Published,
      Reserved,
      Reserved,
    ]);
    expect(await orderById(order.id)).toEqual(orderBefore);
    await expectConsistent(seller.teacher.id);
  });

  it("moves by half an hour, overlapping its own old time", async () => {
    const { start, seller, student, lesson } = await booked();
    const moved = await rescheduleLesson(db, student.id, {
      lessonId: lesson.id,
      start: plus(start, 1),
    });
    expect(moved.startsAt).toEqual(plus(start, 1));
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Published,
      Reserved,
      Reserved,
      Published,
    ]);
    // And back again, overlapping from the other side.
    await rescheduleLesson(db, student.id, { lessonId: lesson.id, start });
    expect(await statesOf(seller.teacher.id, start, 4)).toEqual([
      Reserved,
      Reserved,
      Published,
      Published,
    ]);
    await expectConsistent(seller.teacher.id);
  });

  it("to a taken time: SlotTaken, and nothing changes", async () => {
    const { start, seller, student, lesson } = await booked();
    const rival = await createPaidPackage(seller, 10);
    await bookLesson(db, rival.student.id, {
      orderId: rival.order.id,
      start: plus(start, 4),
      slots: 2,
    });
    await refusedWithoutWrites(
      () => rescheduleLesson(db, student.id, { lessonId: lesson.id, start: plus(start, 5) }),
      { kind: "conflict", field: "start" },
      SlotTaken,
    );
    // Unpublished time: refused too, saying why.
    const error = await refusedWithoutWrites(
      () => rescheduleLesson(db, student.id, { lessonId: lesson.id, start: plus(start, 20) }),
      { kind: "conflict", field: "start" },
      SlotConflict,
    );
    expect(error.message).toMatch(/not opened/);
    await expectConsistent(seller.teacher.id);
  });

  it("is refused inside the 24-hour window, allowed exactly at it", async () => {
    const { start, seller, student, lesson } = await booked();
    await refusedWithoutWrites(
      () =>
        rescheduleLesson(
          db,
          student.id,
          { lessonId: lesson.id, start: plus(start, 4) },
          later(start, -24 * HOUR + 1),
        ),
      { kind: "conflict", field: "lessonId" },
    );
    await rescheduleLesson(
      db,
      student.id,
      { lessonId: lesson.id, start: plus(start, 4) },
      later(start, -24 * HOUR),
    );
    await expectConsistent(seller.teacher.id);
  });

  it("refuses someone else's lesson, the same time, a bad time, and a closed lesson", async () => {
    const { start, student, lesson } = await booked();
    const stranger = await createUser("student");
    await refusedWithoutWrites(
      () => rescheduleLesson(db, stranger.id, { lessonId: lesson.id, start: plus(start, 4) }),
      { kind: "not_found", field: "lessonId" },
    );
    await refusedWithoutWrites(
      () => rescheduleLesson(db, student.id, { lessonId: "123456789", start: plus(start, 4) }),
      { kind: "not_found", field: "lessonId" },
    );
    await refusedWithoutWrites(
      () => rescheduleLesson(db, student.id, { lessonId: lesson.id, start }),
      { kind: "invalid", field: "start" },
    );
    await refusedWithoutWrites(
      () =>
        rescheduleLesson(db, student.id, { lessonId: lesson.id, start: later(start, 10 * MIN) }),
      { kind: "invalid", field: "start" },
    );
    await cancelLesson(db, { role: "student", userId: student.id }, { lessonId: lesson.id });
    await refusedWithoutWrites(
      () => rescheduleLesson(db, student.id, { lessonId: lesson.id, start: plus(start, 4) }),
      { kind: "conflict", field: "lessonId" },
    );
  });
});

describe("cancelLesson", () => {
  async function booked(hours = 10) {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4);
    const { student, order } = await createPaidPackage(seller, hours);
    const lesson = await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    return { start, seller, student, order, lesson };
  }

  it("by the student 24 h or more ahead returns the hours", async () => {
    const { start, seller, student, order, lesson } = await booked();
    const now = later(start, -24 * HOUR);
    const outcome = await cancelLesson(
      db,
      { role: "student", userId: student.id },
      { lessonId: lesson.id },
      now,
    );
    expect(outcome.hoursReturned).toBe(true);
    expect(outcome.lesson).toMatchObject({
      status: "cancelled",
      cancelledBy: "student",
      cancelledAt: now,
      hoursReturned: true,
      cancelReason: null,
    });
    expect(outcome.order).toMatchObject({ status: "paid", slotsBooked: 0, slotsUsed: 0 });
    expect(slotsLeft(outcome.order)).toBe(20);
    expect(await statesOf(seller.teacher.id, start, 2)).toEqual([Published, Published]);
    expect(order.status).toBe("paid");
    await expectConsistent(seller.teacher.id);
  });

  it("by the student later forfeits the hours: used, and the order becomes active", async () => {
    const { start, seller, student, lesson } = await booked();
    const outcome = await cancelLesson(
      db,
      { role: "student", userId: student.id },
      { lessonId: lesson.id, reason: "Busy" },
      later(start, -24 * HOUR + 1),
    );
    expect(outcome.hoursReturned).toBe(false);
    expect(outcome.lesson).toMatchObject({ hoursReturned: false, cancelReason: "Busy" });
    expect(outcome.order).toMatchObject({ status: "active", slotsBooked: 0, slotsUsed: 2 });
    // The time goes back on sale even though the student paid for it.
    expect(await statesOf(seller.teacher.id, start, 2)).toEqual([Published, Published]);
    await expectConsistent(seller.teacher.id);
  });

  it("forfeiting the last hours completes the order", async () => {
    const { start, seller, student, lesson } = await booked(1);
    const outcome = await cancelLesson(
      db,
      { role: "student", userId: student.id },
      { lessonId: lesson.id },
      later(start, -HOUR),
    );
    expect(outcome.order).toMatchObject({ status: "completed", slotsUsed: 2, slotsBooked: 0 });
    expect(outcome.order.closedAt).toEqual(later(start, -HOUR));
    await expectConsistent(seller.teacher.id);
  });

  it("by the teacher always returns the hours; a reason is required and stored", async () => {
    const { start, seller, student, lesson } = await booked();
    const teacher = { role: "teacher" as const, teacherId: seller.teacher.id };
    const now = later(start, -HOUR);
    for (const reason of [undefined, "", "  x "]) {
      await refusedWithoutWrites(
        () => cancelLesson(db, teacher, { lessonId: lesson.id, reason }, now),
        {
          kind: "invalid",
          field: "reason",
        },
      );
    }
    const other = await createSellingTeacher();
    await refusedWithoutWrites(
      () =>
        cancelLesson(
          db,
          { role: "teacher", teacherId: other.teacher.id },
          { lessonId: lesson.id, reason: "Not mine" },
          now,
        ),
      { kind: "not_found", field: "lessonId" },
    );
    const outcome = await cancelLesson(
      db,
      teacher,
      { lessonId: lesson.id, reason: "  I am ill  " },
      now,
    );
    expect(outcome.hoursReturned).toBe(true);
    expect(outcome.lesson).toMatchObject({
      status: "cancelled",
      cancelledBy: "teacher",
      cancelReason: "I am ill",
      hoursReturned: true,
    });
    expect(outcome.order).toMatchObject({ status: "paid", slotsBooked: 0, slotsUsed: 0 });
    // Once cancelled, nobody cancels it again.
    await refusedWithoutWrites(
      () => cancelLesson(db, { role: "student", userId: student.id }, { lessonId: lesson.id }, now),
      { kind: "conflict", field: "lessonId" },
    );
    await expectConsistent(seller.teacher.id);
  });

  it("is refused once the lesson has started, and for strangers", async () => {
    const { start, seller, student, lesson } = await booked();
    const teacher = { role: "teacher" as const, teacherId: seller.teacher.id };
    for (const now of [start, later(start, 10 * MIN), later(start, 3 * HOUR)]) {
      await refusedWithoutWrites(
        () =>
          cancelLesson(db, { role: "student", userId: student.id }, { lessonId: lesson.id }, now),
        { kind: "conflict", field: "lessonId" },
      );
      await refusedWithoutWrites(
        () => cancelLesson(db, teacher, { lessonId: lesson.id, reason: "Too late" }, now),
        { kind: "conflict", field: "lessonId" },
      );
    }
    const stranger = await createUser("student");
    await refusedWithoutWrites(
      () => cancelLesson(db, { role: "student", userId: stranger.id }, { lessonId: lesson.id }),
      { kind: "not_found", field: "lessonId" },
    );
  });
});

describe("closeLesson", () => {
  async function booked(hours = 10) {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 8);
    const { student, order } = await createPaidPackage(seller, hours);
    const lesson = await bookLesson(db, student.id, { orderId: order.id, start, slots: 2 });
    const teacher = { role: "teacher" as const, teacherId: seller.teacher.id };
    return { start, seller, student, order, lesson, teacher };
  }

  it("the teacher marks completed only once it has ended; the paid order becomes active", async () => {
    const { start, seller, lesson, order, teacher } = await booked();
    const end = plus(start, 2);
    await refusedWithoutWrites(
      () => closeLesson(db, teacher, { lessonId: lesson.id, outcome: "completed" }, later(end, -1)),
      { kind: "conflict", field: "lessonId" },
    );
    const closed = await closeLesson(
      db,
      teacher,
      { lessonId: lesson.id, outcome: "completed" },
      end,
    );
    expect(closed).toMatchObject({ status: "completed", completedBy: "teacher", completedAt: end });
    expect(await orderById(order.id)).toMatchObject({
      status: "active",
      slotsBooked: 0,
      slotsUsed: 2,
    });
    // The slots stay reserved: the time was sold and used.
    expect(await statesOf(seller.teacher.id, start, 2)).toEqual([Reserved, Reserved]);
    await refusedWithoutWrites(
      () => closeLesson(db, teacher, { lessonId: lesson.id, outcome: "no_show" }, end),
      { kind: "conflict", field: "lessonId" },
    );
    await expectConsistent(seller.teacher.id);
  });

  it("marks a student no-show: the hours are used", async () => {
    const { start, seller, lesson, order, teacher } = await booked();
    const closed = await closeLesson(
      db,
      teacher,
      { lessonId: lesson.id, outcome: "no_show" },
      later(start, 5 * HOUR),
    );
    expect(closed.status).toBe("no_show");
    expect(await orderById(order.id)).toMatchObject({ status: "active", slotsUsed: 2 });
    await expectConsistent(seller.teacher.id);
  });

  it("another teacher, or the student, gets not found", async () => {
    const { start, student, lesson } = await booked();
    const other = await createSellingTeacher();
    const end = plus(start, 2);
    await refusedWithoutWrites(
      () =>
        closeLesson(
          db,
          { role: "teacher", teacherId: other.teacher.id },
          { lessonId: lesson.id, outcome: "completed" },
          end,
        ),
      { kind: "not_found", field: "lessonId" },
    );
    await refusedWithoutWrites(
      () =>
        closeLesson(
          db,
          { role: "student", userId: student.id },
          { lessonId: lesson.id, outcome: "completed" },
          end,
        ),
      { kind: "not_found", field: "lessonId" },
    );
  });

  it("the order completes when all its time is used", async () => {
    const start = slotFromNow(48);
    const seller = await teacherWithTime(start, 4);
    const teacher = { role: "teacher" as const, teacherId: seller.teacher.id };
    const { student, order } = await createPaidPackage(seller, 1);
    const first = await bookLesson(db, student.id, { orderId: order.id, start, slots: 1 });
    const second = await bookLesson(db, student.id, {
      orderId: order.id,
      start: plus(start, 2),
      slots: 1,
    });
    await closeLesson(db, teacher, { lessonId: first.id, outcome: "completed" }, plus(start, 1));
    expect(await orderById(order.id)).toMatchObject({ status: "active", slotsUsed: 1 });
    const secondEnd = plus(start, 3);
    await closeLesson(db, teacher, { lessonId: second.id, outcome: "no_show" }, secondEnd);
    expect(await orderById(order.id)).toMatchObject({
      status: "completed",
      slotsUsed: 2,
      slotsBooked: 0,
      closedAt: secondEnd,
    });
    await expectConsistent(seller.teacher.id);
  });

  it("sweepTrade completes lessons ended 48 h ago (by the system) and leaves younger ones", async () => {
    const { start, seller, student, order, lesson } = await booked();
    const younger = await bookLesson(db, student.id, {
      orderId: order.id,
      start: plus(start, 4),
      slots: 2,
    });
    const sweepAt = later(plus(start, 2), 48 * HOUR);
    await sweepTrade(db, sweepAt);
    expect(await lessonById(lesson.id)).toMatchObject({
      status: "completed",
      completedBy: "system",
      completedAt: sweepAt,
    });
    expect((await lessonById(younger.id)).status).toBe("booked");
    expect(await orderById(order.id)).toMatchObject({
      status: "active",
      slotsUsed: 2,
      slotsBooked: 2,
    });
    await expectConsistent(seller.teacher.id);

    // Again at the same moment: nothing left to do.
    expect(await sweepTrade(db, sweepAt)).toEqual({
      expiredOrders: 0,
      completedLessons: 0,
      expiredPayments: 0,
      gatewayRefunds: 0,
    });
    // An hour later the younger one is due too.
    const next = await sweepTrade(db, later(plus(start, 6), 48 * HOUR));
    expect(next.completedLessons).toBeGreaterThanOrEqual(1);
    expect((await lessonById(younger.id)).status).toBe("completed");
    await expectConsistent(seller.teacher.id);
  });
});

describe("every teacher's books add up at the end", () => {
  it("holds for all teachers this file touched, after all the sweeps", async () => {
    const touched = await db.selectDistinct({ id: lessons.teacherId }).from(lessons);
    expect(touched.length).toBeGreaterThan(10);
    for (const { id } of touched) await expectConsistent(id);
  });
});

describe("the independent invariant check", () => {
  it("finds nothing wrong across every lesson this file wrote, taken and cancelled ones included", async () => {
    const closed = await db
      .select({ id: lessons.id })
      .from(lessons)
      .where(eq(lessons.status, "completed"));
    expect(closed.length).toBeGreaterThan(0);
    expect(await checkTradeInvariants(db)).toEqual([]);
  });
});
