import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectPostgres,
  type Database,
  type DatabaseHandle,
  getDb,
  type Transaction,
} from "../../db/client";
import { lessons, orders, teacherDays, users } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { SlotTaken } from "../../server/inventory/slotConflict";
import { confirmOrderPaid } from "../../server/trade/confirmOrderPaid";
import { bookLesson, rescheduleLesson } from "../../server/trade/lessonBooking";
import { cancelLesson } from "../../server/trade/lessonClosing";
import { newOrderId, placeOrder } from "../../server/trade/placeOrder";
import { createPaidPackage, createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";
import { assertTradeInvariants, checkTradeInvariants } from "../tradeInvariants";

/**
 * Races on real Postgres through the trade services. The racers get their own pool: 60
 * connections, like the inventory races (max_connections is 100 and the worker's own pool and
 * other test files need some). A race of more callers than connections gates the first 60
 * and queues the rest behind them, which then find the slot already sold.
 */
const RACE_POOL = 60;
let race: DatabaseHandle;
beforeAll(() => {
  race = connectPostgres(process.env.DATABASE_URL!, RACE_POOL);
});
afterAll(() => race.close());

const SLOT_MS = 1_800_000;
const MINUTE_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (start: Date, slots: number) => new Date(start.getTime() + slots * SLOT_MS);

/** Resolves once `n` callers have arrived; later callers pass straight through. */
function barrier(n: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived += 1;
    if (arrived >= n) release();
    return all;
  };
}

/**
 * The race pool, with every transaction a service opens held at a barrier once BEGIN has
 * reached the server: all racers (up to the pool size) are inside a transaction on their own
 * connection before any of them goes on. A retried transaction passes the barrier at once.
 */
function gatedDb(racers: number, delayMs: (i: number) => number = () => 0): Database {
  const ready = barrier(Math.min(racers, RACE_POOL));
  let started = 0;
  const db = race.db;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return (work: (tx: Transaction) => Promise<unknown>) =>
        target.transaction(async (tx) => {
          const i = started++;
          await tx.execute(sql`select 1`);
          await ready();
          const delay = delayMs(i);
          if (delay > 0) await sleep(delay);
          return work(tx);
        });
    },
  });
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

function split<T>(outcomes: Outcome<T>[]) {
  const wins = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  const errors = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
  return { wins, errors };
}

/** Fails with the first error that is not the expected kind, so its stack shows. */
function expectEvery(errors: unknown[], expected: (error: unknown) => boolean) {
  const unexpected = errors.find((e) => !expected(e));
  if (unexpected !== undefined) throw unexpected;
}

async function createStudents(n: number) {
  return getDb()
    .insert(users)
    .values(
      Array.from({ length: n }, (_, i) => ({
        name: `Racing Student ${i}`,
        email: `${randomUUID()}@test.halfhour.dev`,
        role: "student" as const,
      })),
    )
    .returning({ id: users.id });
}

async function liveLessonsAt(teacherId: string, start: Date) {
  return getDb()
    .select()
    .from(lessons)
    .where(
      and(
        eq(lessons.teacherId, teacherId),
        eq(lessons.startsAt, start),
        sql`${lessons.status} IN ('held', 'booked')`,
      ),
    );
}

/** The two bits of the half hour starting at `start` on the teacher's day. */
async function slotState(teacherId: string, start: Date): Promise<string> {
  const day = start.toISOString().slice(0, 10);
  const index = (start.getTime() - Date.parse(`${day}T00:00:00Z`)) / SLOT_MS;
  const [row] = await getDb()
    .select({ slots: teacherDays.slots })
    .from(teacherDays)
    .where(and(eq(teacherDays.teacherId, teacherId), eq(teacherDays.day, day)));
  return row!.slots.slice(2 * index, 2 * index + 2);
}

describe("100 students racing for one half hour", () => {
  it("book now (placeOrder with a single lesson): one order and one held lesson, 99 SlotTaken (15 rounds)", {
    timeout: 120_000,
  }, async () => {
    const teacher = await createSellingTeacher();
    const students = await createStudents(100);
    const first = slotFromNow(48);
    await publish(teacher.teacher.id, { start: first, slots: 30 });
    for (let round = 0; round < 15; round++) {
      const start = at(first, 2 * round);
      const now = new Date();
      const db = gatedDb(students.length);
      const outcomes = await Promise.all(
        students.map((s) =>
          settle(
            placeOrder(
              db,
              s.id,
              {
                orderId: newOrderId(),
                teacherId: teacher.teacher.id,
                courseId: teacher.courseId,
                purchase: { kind: "lesson", slots: 1 },
                lesson: { start, slots: 1 },
              },
              now,
            ),
          ),
        ),
      );
      const { wins, errors } = split(outcomes);
      expect(wins).toHaveLength(1);
      expect(wins[0]).toMatchObject({ created: true, lesson: { status: "held", startsAt: start } });
      expect(errors).toHaveLength(99);
      expectEvery(errors, (e) => e instanceof SlotTaken);

      const live = await liveLessonsAt(teacher.teacher.id, start);
      expect(live.map((l) => l.orderId)).toEqual([wins[0]!.order.id]);
      const placed = await getDb()
        .select({ id: orders.id })
        .from(orders)
        .where(eq(orders.teacherId, teacher.teacher.id));
      expect(placed).toHaveLength(round + 1); // losers' orders rolled back with their lesson
      expect(await slotState(teacher.teacher.id, start)).toBe("10");
      await assertTradeInvariants(getDb());
    }
  });

  it("bookLesson against 100 paid packages: one lesson, 99 SlotTaken (15 rounds)", {
    timeout: 120_000,
  }, async () => {
    const teacher = await createSellingTeacher();
    const packages = await Promise.all(
      Array.from({ length: 100 }, () => createPaidPackage(teacher, 10, race.db)),
    );
    const first = slotFromNow(48);
    await publish(teacher.teacher.id, { start: first, slots: 30 });
    for (let round = 0; round < 15; round++) {
      const start = at(first, 2 * round);
      const now = new Date();
      const db = gatedDb(packages.length);
      const outcomes = await Promise.all(
        packages.map((p) =>
          settle(bookLesson(db, p.student.id, { orderId: p.order.id, start, slots: 1 }, now)),
        ),
      );
      const { wins, errors } = split(outcomes);
      expect(wins).toHaveLength(1);
      expect(wins[0]).toMatchObject({ status: "booked", startsAt: start, slots: 1 });
      expect(errors).toHaveLength(99);
      expectEvery(errors, (e) => e instanceof SlotTaken);

      const live = await liveLessonsAt(teacher.teacher.id, start);
      expect(live.map((l) => l.id)).toEqual([wins[0]!.id]);
      const [winner] = await getDb().select().from(orders).where(eq(orders.id, wins[0]!.orderId));
      expect(winner!.slotsBooked).toBe(
        (await getDb().select().from(lessons).where(eq(lessons.orderId, winner!.id))).length,
      );
      await assertTradeInvariants(getDb());
    }
  });
});

describe("one checkout submitted 20 times at once", () => {
  it("exactly one order (and one held lesson); all 20 calls answer that order, created once (20 rounds)", async () => {
    const teacher = await createSellingTeacher();
    const [student] = await createStudents(1);
    const first = slotFromNow(48);
    await publish(teacher.teacher.id, { start: first, slots: 40 });
    for (let round = 0; round < 20; round++) {
      const orderId = newOrderId();
      const start = at(first, 2 * round);
      const now = new Date();
      const db = gatedDb(20);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          settle(
            placeOrder(
              db,
              student!.id,
              {
                orderId,
                teacherId: teacher.teacher.id,
                courseId: teacher.courseId,
                purchase: { kind: "package", hours: 10 },
                lesson: { start, slots: 2 },
              },
              now,
            ),
          ),
        ),
      );
      const { wins, errors } = split(outcomes);
      expectEvery(errors, () => false);
      expect(wins).toHaveLength(20);
      expect(new Set(wins.map((w) => w.order.id))).toEqual(new Set([orderId]));
      expect(wins.filter((w) => w.created)).toHaveLength(1);
      const rows = await getDb().select().from(orders).where(eq(orders.id, orderId));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ slotsBought: 20, slotsBooked: 2, status: "pending_payment" });
      const held = await getDb().select().from(lessons).where(eq(lessons.orderId, orderId));
      expect(held).toHaveLength(1);
      expect(new Set(wins.map((w) => w.lesson?.id))).toEqual(new Set([held[0]!.id]));
      await assertTradeInvariants(getDb());
    }
  });
});

describe("bookings against one order racing for its last hours", () => {
  it("10 bookings of distinct hours on a 3-hour package: 3 lessons, 7 'not enough hours' (20 rounds)", async () => {
    const teacher = await createSellingTeacher({
      courses: [{ title: "Conversation", pricePerHour: 3000, packageHours: [1, 3, 10] }],
    });
    const first = slotFromNow(48);
    await publish(teacher.teacher.id, { start: first, slots: 440 });
    for (let round = 0; round < 20; round++) {
      const { student, order } = await createPaidPackage(teacher, 3, race.db);
      // Ten one-hour lessons at distinct times; each round uses its own stretch of the calendar.
      const starts = Array.from({ length: 10 }, (_, i) =>
        at(first, 22 * round + 2 * i + (round % 2)),
      );
      const now = new Date();
      const db = gatedDb(10);
      const outcomes = await Promise.all(
        starts.map((start) =>
          settle(bookLesson(db, student.id, { orderId: order.id, start, slots: 2 }, now)),
        ),
      );
      const { wins, errors } = split(outcomes);
      expect(wins).toHaveLength(3);
      expect(errors).toHaveLength(7);
      expectEvery(errors, (e) => e instanceof DomainError && e.field === "slots");
      const [after] = await getDb().select().from(orders).where(eq(orders.id, order.id));
      expect(after).toMatchObject({ slotsBought: 6, slotsBooked: 6, slotsUsed: 0 });
      await assertTradeInvariants(getDb());
    }
  });
});

describe("a reschedule racing a cancel of the same lesson", () => {
  it("the cancel always lands; the reschedule either ran first or gets a conflict; slots and hours agree (24 rounds)", async () => {
    const teacher = await createSellingTeacher();
    const { student, order } = await createPaidPackage(teacher, 10, race.db);
    const first = slotFromNow(48);
    await publish(teacher.teacher.id, { start: first, slots: 48 * 2 });
    const orderings = { rescheduleFirst: 0, cancelFirst: 0 };
    for (let round = 0; round < 24; round++) {
      const now = new Date();
      const from = at(first, 4 * round);
      const to = at(first, 4 * round + 2);
      const lesson = await bookLesson(
        getDb(),
        student.id,
        { orderId: order.id, start: from, slots: 2 },
        now,
      );
      // Sweep one side across the other's run so both orders happen.
      const lag = round % 6;
      const db = gatedDb(2, (i) => (i === round % 2 ? lag : 0));
      const actor =
        round % 3 === 0
          ? ({ role: "teacher", teacherId: teacher.teacher.id } as const)
          : ({ role: "student", userId: student.id } as const);
      const [moved, cancelled] = await Promise.all([
        settle(rescheduleLesson(db, student.id, { lessonId: lesson.id, start: to }, now)),
        settle(cancelLesson(db, actor, { lessonId: lesson.id, reason: "Teacher is ill" }, now)),
      ]);
      if (!cancelled.ok) throw cancelled.error;
      expect(cancelled.value.hoursReturned).toBe(true);
      if (moved.ok) {
        // The move committed first; the cancel then cancelled the lesson at its new time.
        orderings.rescheduleFirst += 1;
        expect(cancelled.value.lesson.startsAt).toEqual(to);
      } else {
        orderings.cancelFirst += 1;
        expect(moved.error).toBeInstanceOf(DomainError);
        expect((moved.error as DomainError).kind).toBe("conflict");
        expect(cancelled.value.lesson.startsAt).toEqual(from);
      }
      const [row] = await getDb().select().from(lessons).where(eq(lessons.id, lesson.id));
      expect(row!.status).toBe("cancelled");
      expect(await slotState(teacher.teacher.id, from)).toBe("01");
      expect(await slotState(teacher.teacher.id, to)).toBe("01");
      const [after] = await getDb().select().from(orders).where(eq(orders.id, order.id));
      expect(after).toMatchObject({ slotsBooked: 0, slotsUsed: 0 });
      await assertTradeInvariants(getDb());
    }
    console.info(`reschedule vs cancel orderings: ${JSON.stringify(orderings)}`);
  });
});

describe("a lapsed hold raced by students who want that time", () => {
  it("one booking wins and the unpaid order expires; a late payment in the race wins only if it comes first (16 rounds)", async () => {
    const teacher = await createSellingTeacher();
    const [holder] = await createStudents(1);
    const packages = await Promise.all(
      Array.from({ length: 8 }, () => createPaidPackage(teacher, 10, race.db)),
    );
    const first = slotFromNow(48);
    await publish(teacher.teacher.id, { start: first, slots: 40 });
    for (let round = 0; round < 16; round++) {
      const start = at(first, 2 * round);
      const placedAt = new Date();
      const unpaid = await placeOrder(
        getDb(),
        holder!.id,
        {
          orderId: newOrderId(),
          teacherId: teacher.teacher.id,
          courseId: teacher.courseId,
          purchase: { kind: "lesson", slots: 1 },
          lesson: { start, slots: 1 },
        },
        placedAt,
      );
      // The racers live 16 minutes later: the 15-minute hold has lapsed, nobody released it.
      const later = new Date(placedAt.getTime() + 16 * MINUTE_MS);
      expect(unpaid.order.holdExpiresAt.getTime()).toBeLessThan(later.getTime());
      const withPayment = round % 2 === 1;
      const db = gatedDb(packages.length + (withPayment ? 1 : 0));
      const bookings = packages.map((p) =>
        settle(bookLesson(db, p.student.id, { orderId: p.order.id, start, slots: 1 }, later)),
      );
      const payment = withPayment
        ? settle(db.transaction((tx) => confirmOrderPaid(tx, unpaid.order.id, later)))
        : null;
      const { wins, errors } = split(await Promise.all(bookings));
      expectEvery(errors, (e) => e instanceof SlotTaken);
      const paid = payment ? await payment : null;
      const [order] = await getDb().select().from(orders).where(eq(orders.id, unpaid.order.id));
      const [held] = await getDb().select().from(lessons).where(eq(lessons.id, unpaid.lesson!.id));
      if (paid?.ok) {
        // The payment took the order lock first: the hold is honoured, every booking lost.
        expect(wins).toHaveLength(0);
        expect(order!.status).toBe("paid");
        expect(held!.status).toBe("booked");
      } else {
        if (paid) {
          expect(paid.error).toBeInstanceOf(DomainError);
          expect((paid.error as DomainError).kind).toBe("conflict");
        }
        expect(wins).toHaveLength(1);
        expect(errors).toHaveLength(packages.length - 1);
        expect(order).toMatchObject({ status: "expired", slotsBooked: 0 });
        expect(held!.status).toBe("expired");
        const live = await liveLessonsAt(teacher.teacher.id, start);
        expect(live.map((l) => l.id)).toEqual([wins[0]!.id]);
      }
      expect(await slotState(teacher.teacher.id, start)).toBe("10");
      await assertTradeInvariants(getDb());
    }
  });
});

describe("the invariant check itself", () => {
  class Rollback extends Error {}

  /** Runs `corrupt` in a transaction, returns what the check finds there, then rolls back. */
  async function violationsAfter(corrupt: (tx: Transaction) => Promise<void>) {
    let found: Awaited<ReturnType<typeof checkTradeInvariants>> = [];
    await getDb()
      .transaction(async (tx) => {
        await corrupt(tx);
        found = await checkTradeInvariants(tx);
        throw new Rollback();
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return found.map((v) => v.invariant).sort();
  }

  it("passes a lesson over midnight UTC and catches each kind of corruption", async () => {
    const teacher = await createSellingTeacher();
    const { student, order } = await createPaidPackage(teacher, 10, race.db);
    // 23:00Z + 2 h: two slots on each side of midnight, on two teacher-days.
    const midnight = new Date(Math.ceil((Date.now() + 72 * 3_600_000) / 86_400_000) * 86_400_000);
    const start = at(midnight, -2);
    await publish(teacher.teacher.id, { start: at(start, -4), slots: 12 });
    const lesson = await bookLesson(getDb(), student.id, { orderId: order.id, start, slots: 4 });
    const scope = { teacherIds: [teacher.teacher.id] };
    expect(await checkTradeInvariants(getDb(), scope)).toEqual([]);
    expect(await slotState(teacher.teacher.id, at(midnight, 1))).toBe("10");

    const setState = async (tx: Transaction, slot: Date, bits: string) => {
      const day = slot.toISOString().slice(0, 10);
      const pos = (slot.getTime() - Date.parse(`${day}T00:00:00Z`)) / SLOT_MS;
      await tx.execute(sql`
        UPDATE teacher_days SET slots = overlay(slots placing ${bits}::bit(2) from ${2 * pos + 1}::int)
        WHERE teacher_id = ${teacher.teacher.id} AND day = ${day}`);
    };
    // The lesson's half hour after midnight released behind its back.
    expect(await violationsAfter((tx) => setState(tx, at(midnight, 1), "01"))).toEqual([
      "slot_not_reserved",
    ]);
    // A free half hour reserved with no lesson.
    expect(await violationsAfter((tx) => setState(tx, at(start, -1), "10"))).toEqual([
      "reserved_slot",
    ]);
    // Hours the order does not have on its lessons.
    expect(
      await violationsAfter(async (tx) => {
        await tx.execute(
          sql`UPDATE orders SET slots_booked = slots_booked + 1 WHERE id = ${order.id}`,
        );
      }),
    ).toEqual(["order_hours"]);
    // The lesson closed without its hours following (a taken lesson keeps its time reserved,
    // so the bits are fine; the order still counts the hours as booked).
    expect(
      await violationsAfter(async (tx) => {
        await tx.execute(sql`UPDATE lessons SET status = 'completed' WHERE id = ${lesson.id}`);
      }),
    ).toEqual(["order_hours"]);
    // The lesson cancelled behind the calendar's back: four orphan reserved half hours.
    expect(
      await violationsAfter(async (tx) => {
        await tx.execute(
          sql`UPDATE lessons SET status = 'cancelled', hours_returned = true WHERE id = ${lesson.id}`,
        );
        await tx.execute(
          sql`UPDATE orders SET slots_booked = slots_booked - 4 WHERE id = ${order.id}`,
        );
      }),
    ).toEqual(Array(4).fill("reserved_slot"));
    // A second live lesson over the same time (the constraints dropped for the occasion):
    // overlaps for teacher and student, and each half hour covered twice.
    expect(
      await violationsAfter(async (tx) => {
        await tx.execute(sql`ALTER TABLE lessons DROP CONSTRAINT lessons_teacher_no_overlap`);
        await tx.execute(sql`ALTER TABLE lessons DROP CONSTRAINT lessons_student_no_overlap`);
        await tx.execute(sql`
          INSERT INTO lessons (id, order_id, teacher_id, student_id, starts_at, ends_at, slots, status)
          SELECT id + 1, order_id, teacher_id, student_id, starts_at + interval '30 minutes',
                 ends_at - interval '30 minutes', 2, 'booked'
          FROM lessons WHERE id = ${lesson.id}`);
        await tx.execute(
          sql`UPDATE orders SET slots_booked = slots_booked + 2 WHERE id = ${order.id}`,
        );
      }),
    ).toEqual(["reserved_slot", "reserved_slot", "student_overlap", "teacher_overlap"]);
  });
});
