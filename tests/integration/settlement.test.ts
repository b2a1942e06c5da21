import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { lessonSettlements, payouts } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { SLOT_MS } from "../../server/inventory/slotBitmap";
import { platformAccount, teacherPayableAccount } from "../../server/ledger/ledgerAccounts";
import { findPosting } from "../../server/ledger/postTransaction";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { startPayment } from "../../server/payment/startPayment";
import { setTeacherCommission } from "../../server/settlement/commissionRates";
import { weekStartUtc } from "../../server/settlement/payoutWeek";
import { runWeeklyPayouts } from "../../server/settlement/runPayouts";
import { settleConsumedLesson } from "../../server/settlement/settleLesson";
import { teacherEarnings } from "../../server/settlement/teacherEarnings";
import { bookLesson } from "../../server/trade/lessonBooking";
import { cancelLesson, closeLesson } from "../../server/trade/lessonClosing";
import { findOrder } from "../../server/trade/orderRecords";
import { newOrderId, placeOrder } from "../../server/trade/placeOrder";
import { sweepTrade } from "../../server/trade/sweepTrade";
import { createUser } from "../fixtures";
import { fundWallet } from "../paymentFixtures";
import { createPaidPackage, createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

const db = getDb();
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const plus = (t: Date, n: number) => new Date(t.getTime() + n * SLOT_MS);

type Seller = Awaited<ReturnType<typeof createSellingTeacher>>;

/** Each booked lesson at its own time, so one teacher can have several. */
let nextHour = 48;

/** A teacher (30.00/h USD) with 8 half hours published days out, a student with 10 h. */
async function bookedLesson(seller?: Seller, slots = 2) {
  const start = slotFromNow(nextHour);
  nextHour += 5;
  const teacher = seller ?? (await createSellingTeacher());
  await publish(teacher.teacher.id, { start, slots: 8 });
  const { student, order } = await createPaidPackage(teacher, 10);
  const lesson = await bookLesson(db, student.id, { orderId: order.id, start, slots });
  return { start, end: plus(start, slots), seller: teacher, student, order, lesson };
}

const asTeacher = (seller: Seller) => ({ role: "teacher" as const, teacherId: seller.teacher.id });

async function settlementsOf(lessonId: string) {
  return db.select().from(lessonSettlements).where(eq(lessonSettlements.lessonId, lessonId));
}

async function settlementPosting(lessonId: string) {
  return findPosting(db, { kind: "settlement", id: lessonId, purpose: "lesson" });
}

const payable = async (teacherId: string) =>
  (await teacherPayableAccount(db, teacherId, "USD")).balance;
const platform = async (kind: "prepaid_lessons" | "platform_revenue" | "gateway_clearing") =>
  (await platformAccount(db, kind, "USD")).balance;

/** The lines of a posting as { account kind: amount }. */
async function linesByAccount(lessonId: string) {
  const posting = await settlementPosting(lessonId);
  const prepaid = await platformAccount(db, "prepaid_lessons", "USD");
  const revenue = await platformAccount(db, "platform_revenue", "USD");
  const out: Record<string, number> = {};
  for (const e of posting?.entries ?? []) {
    const name =
      e.accountId === prepaid.id ? "prepaid" : e.accountId === revenue.id ? "revenue" : "payable";
    out[name] = e.amount;
  }
  return out;
}

afterAll(async () => {
  // Whatever the tests above did, the ledger still proves itself.
  expect(await reconcileLedger(db)).toEqual([]);
});

describe("settlement of consumed lessons", () => {
  it("a completed lesson settles once: 20% commission, the teacher's payable credited", async () => {
    const { end, seller, lesson, order } = await bookedLesson();
    await closeLesson(db, asTeacher(seller), { lessonId: lesson.id, outcome: "completed" }, end);

    const [settlement, ...more] = await settlementsOf(lesson.id);
    expect(more).toEqual([]);
    expect(settlement).toMatchObject({
      orderId: order.id,
      teacherId: seller.teacher.id,
      currency: "USD",
      slots: 2,
      gross: 3000,
      commissionBps: 2000,
      commission: 600,
      net: 2400,
      payoutId: null,
      settledAt: end,
    });
    const posting = await settlementPosting(lesson.id);
    expect(settlement!.ledgerTransactionId).toBe(posting!.transaction.id);
    expect(await linesByAccount(lesson.id)).toEqual({
      prepaid: -3000,
      payable: 2400,
      revenue: 600,
    });
    expect(await payable(seller.teacher.id)).toBe(2400);

    // Closing again is refused; settling again writes nothing.
    await expect(
      closeLesson(db, asTeacher(seller), { lessonId: lesson.id, outcome: "no_show" }, end),
    ).rejects.toBeInstanceOf(DomainError);
    const again = await db.transaction(async (tx) =>
      settleConsumedLesson(tx, {
        lesson,
        orderBefore: (await findOrder(tx, order.id))!,
        now: new Date(end.getTime() + HOUR),
      }),
    );
    expect(again).toMatchObject({ created: false, settlement: { gross: 3000, settledAt: end } });
    expect(await settlementsOf(lesson.id)).toHaveLength(1);
    expect(await payable(seller.teacher.id)).toBe(2400);
  });

  it("a no-show pays the teacher like a completed lesson", async () => {
    const { end, seller, lesson } = await bookedLesson(undefined, 3);
    await closeLesson(db, asTeacher(seller), { lessonId: lesson.id, outcome: "no_show" }, end);
    expect(await settlementsOf(lesson.id)).toMatchObject([
      { slots: 3, gross: 4500, commission: 900, net: 3600 },
    ]);
    expect(await payable(seller.teacher.id)).toBe(3600);
  });

  it("a late cancellation by the student forfeits the hours and pays the teacher; others do not", async () => {
    const late = await bookedLesson();
    const outcome = await cancelLesson(
      db,
      { role: "student", userId: late.student.id },
      { lessonId: late.lesson.id },
      new Date(late.start.getTime() - HOUR),
    );
    expect(outcome.hoursReturned).toBe(false);
    expect(await settlementsOf(late.lesson.id)).toMatchObject([
      { gross: 3000, commission: 600, net: 2400 },
    ]);
    expect(await payable(late.seller.teacher.id)).toBe(2400);

    const early = await bookedLesson();
    await cancelLesson(
      db,
      { role: "student", userId: early.student.id },
      { lessonId: early.lesson.id },
    );
    const byTeacher = await bookedLesson();
    await cancelLesson(
      db,
      asTeacher(byTeacher.seller),
      { lessonId: byTeacher.lesson.id, reason: "Teacher is ill" },
      new Date(byTeacher.start.getTime() - HOUR),
    );
    for (const returned of [early, byTeacher]) {
      expect(await settlementsOf(returned.lesson.id)).toEqual([]);
      expect(await settlementPosting(returned.lesson.id)).toBeNull();
    }
  });

  it("the lessons of a fully used order add up to exactly what was paid", async () => {
    // 30.01 an hour, a 3-hour package: 90.03 over 6 half hours, taken as 1 + 2 + 3.
    const seller = await createSellingTeacher({
      courses: [{ title: "Odd", pricePerHour: 3001, packageHours: [3] }],
    });
    const start = slotFromNow(48);
    await publish(seller.teacher.id, { start, slots: 8 });
    const student = await createUser("student", "Odd Payer");
    await fundWallet(student.id, 9003);
    const placed = await placeOrder(db, student.id, {
      orderId: newOrderId(),
      teacherId: seller.teacher.id,
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 3 },
    });
    expect(placed.order.payableAmount).toBe(9003);
    const prepaidBefore = await platform("prepaid_lessons");
    const paid = await startPayment(db, student.id, {
      idempotencyKey: `odd-${placed.order.id}`,
      orderIds: [placed.order.id],
      method: "wallet",
      appUrl: "",
    });
    expect(paid.status).toBe("succeeded");
    expect(await platform("prepaid_lessons")).toBe(prepaidBefore + 9003);

    const lengths = [1, 2, 3];
    let at = start;
    const grosses: number[] = [];
    for (const slots of lengths) {
      const lesson = await bookLesson(db, student.id, {
        orderId: placed.order.id,
        start: at,
        slots,
      });
      at = plus(at, slots);
      await closeLesson(db, asTeacher(seller), { lessonId: lesson.id, outcome: "completed" }, at);
      grosses.push((await settlementsOf(lesson.id))[0]!.gross);
    }
    expect(grosses).toEqual([1500, 3001, 4502]);
    expect((await findOrder(db, placed.order.id))!.status).toBe("completed");
    expect(await platform("prepaid_lessons")).toBe(prepaidBefore);
    const rows = await db
      .select()
      .from(lessonSettlements)
      .where(eq(lessonSettlements.orderId, placed.order.id));
    expect(rows.reduce((s, r) => s + r.gross, 0)).toBe(9003);
    expect(rows.reduce((s, r) => s + r.net + r.commission, 0)).toBe(9003);
    expect(await payable(seller.teacher.id)).toBe(rows.reduce((s, r) => s + r.net, 0));
  });

  it("the sweep's automatic completion settles the lesson", async () => {
    const { end, lesson, seller } = await bookedLesson();
    const sweepAt = new Date(end.getTime() + 49 * HOUR);
    const outcome = await sweepTrade(db, sweepAt);
    expect(outcome.completedLessons).toBeGreaterThanOrEqual(1);
    expect(await settlementsOf(lesson.id)).toMatchObject([
      { gross: 3000, net: 2400, settledAt: sweepAt },
    ]);
    expect(await payable(seller.teacher.id)).toBe(2400);
  });

  it("a teacher's own rate is used, 0% and 100% leave out the zero line, clearing restores the default", async () => {
    const seller = await createSellingTeacher();
    const rates: [number | null, { commission: number; net: number; lines: object }][] = [
      [
        12.5,
        { commission: 375, net: 2625, lines: { prepaid: -3000, payable: 2625, revenue: 375 } },
      ],
      [0, { commission: 0, net: 3000, lines: { prepaid: -3000, payable: 3000 } }],
      [100, { commission: 3000, net: 0, lines: { prepaid: -3000, revenue: 3000 } }],
      [
        null,
        { commission: 600, net: 2400, lines: { prepaid: -3000, payable: 2400, revenue: 600 } },
      ],
    ];
    for (const [percent, expected] of rates) {
      await setTeacherCommission(db, seller.teacher.id, percent);
      const { end, lesson } = await bookedLesson(seller);
      await closeLesson(db, asTeacher(seller), { lessonId: lesson.id, outcome: "completed" }, end);
      expect(await settlementsOf(lesson.id)).toMatchObject([
        {
          gross: 3000,
          commissionBps: percent === null ? 2000 : percent * 100,
          commission: expected.commission,
          net: expected.net,
        },
      ]);
      expect(await linesByAccount(lesson.id)).toEqual(expected.lines);
    }
  });

  it("setTeacherCommission refuses an unknown teacher", async () => {
    await expect(setTeacherCommission(db, "123456789", 10)).rejects.toMatchObject({
      kind: "not_found",
      field: "teacherId",
    });
  });
});

describe("weekly payouts", () => {
  it("pays last week's settlements once; the current week waits; a rerun is a no-op", async () => {
    const seller = await createSellingTeacher();
    const first = await bookedLesson(seller);
    await closeLesson(
      db,
      asTeacher(seller),
      { lessonId: first.lesson.id, outcome: "completed" },
      first.end,
    );
    const second = await bookedLesson(seller, 3);
    await closeLesson(
      db,
      asTeacher(seller),
      { lessonId: second.lesson.id, outcome: "no_show" },
      second.end,
    );
    expect(await payable(seller.teacher.id)).toBe(2400 + 3600);

    // Run in the week of the settlements: nothing of this week is paid yet.
    const sameWeek = await runWeeklyPayouts(db, first.end);
    expect(sameWeek.created.filter((p) => p.teacherId === seller.teacher.id)).toEqual([]);

    const runAt = new Date(weekStartUtc(second.end).getTime() + WEEK + 5 * HOUR);
    const clearingBefore = await platform("gateway_clearing");
    const run = await runWeeklyPayouts(db, runAt);
    expect(run.periodEnd).toEqual(new Date(weekStartUtc(second.end).getTime() + WEEK));
    const mine = run.created.filter((p) => p.teacherId === seller.teacher.id);
    expect(mine).toMatchObject([{ currency: "USD", amount: 6000, lessons: 2, status: "paid" }]);
    expect(await payable(seller.teacher.id)).toBe(0);
    expect(await platform("gateway_clearing")).toBe(
      clearingBefore + run.created.reduce((s, p) => s + p.amount, 0),
    );
    const linked = await db
      .select({ payoutId: lessonSettlements.payoutId })
      .from(lessonSettlements)
      .where(eq(lessonSettlements.teacherId, seller.teacher.id));
    expect(linked.map((l) => l.payoutId)).toEqual([mine[0]!.id, mine[0]!.id]);
    const posting = await findPosting(db, { kind: "payout", id: mine[0]!.id, purpose: "payout" });
    expect(posting!.transaction.id).toBe(mine[0]!.ledgerTransactionId);

    const rerun = await runWeeklyPayouts(db, new Date(runAt.getTime() + 24 * HOUR));
    expect(rerun.created).toEqual([]);
    expect(
      await db.select().from(payouts).where(eq(payouts.teacherId, seller.teacher.id)),
    ).toHaveLength(1);

    const earnings = await teacherEarnings(db, seller.teacher.id, runAt);
    expect(earnings.totals).toEqual([{ currency: "USD", pending: 0, payable: 0, paidOut: 6000 }]);
    expect(earnings.payouts).toMatchObject([{ amount: 6000, lessons: 2 }]);
    expect(earnings.settlements.map((s) => s.net).sort()).toEqual([2400, 3600]);
    const week = earnings.charts[0]!.weeks.find(
      (w) => w.weekStart.getTime() === weekStartUtc(second.end).getTime(),
    );
    expect(week?.total).toBe(6000);
  });

  it("pending is the net of booked, untaken lessons at the current rate", async () => {
    const { seller } = await bookedLesson(undefined, 3);
    const earnings = await teacherEarnings(db, seller.teacher.id, new Date());
    expect(earnings.totals).toEqual([{ currency: "USD", pending: 3600, payable: 0, paidOut: 0 }]);
    expect(earnings.commissionPercent).toBe(20);
    expect(earnings.charts[0]!.weeks).toHaveLength(12);
  });
});
