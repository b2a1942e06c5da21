import { and, asc, inArray } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { orders } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { approveRefund, declineRefund } from "../../server/payment/decideRefund";
import { receiveWebhook } from "../../server/payment/receiveWebhook";
import { requestRefund } from "../../server/payment/requestRefund";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { startPayment } from "../../server/payment/startPayment";
import { runReconciliation } from "../../server/reconciliation/runReconciliation";
import { runWeeklyPayouts } from "../../server/settlement/runPayouts";
import { bookLesson } from "../../server/trade/lessonBooking";
import { cancelLesson, closeLesson } from "../../server/trade/lessonClosing";
import { newOrderId, placeOrder } from "../../server/trade/placeOrder";
import { sweepTrade } from "../../server/trade/sweepTrade";
import { createUser } from "../fixtures";
import { fundWallet, sandboxCallback } from "../paymentFixtures";
import { createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

/**
 * Issue 6, item 10: random sequences of everything that moves money — top-ups, purchases
 * (wallet, card, mixed; paid, declined, or paid with the callback delivered twice at once),
 * bookings, cancellations (early and late, by either side), lessons closed (settlements),
 * refunds (requested, approved, declined, by the teacher), payouts and sweeps — against real
 * Postgres. Refusals (DomainError) are part of the game; anything else fails. After every
 * sequence the ledger's invariants hold and the full reconciliation finds nothing.
 */
const db = getDb();
const HOUR = 3_600_000;
const STUDENTS = 3;
/** Half hours published per day for 6 days, starting two days out. */
const DAY_SLOTS = 8;
const DAYS = 6;

type Op =
  | { op: "topUp"; student: number; amount: number }
  | {
      op: "buy";
      student: number;
      hours: 1 | 10;
      method: "wallet" | "gateway" | "mixed";
      outcome: "pay" | "payTwice" | "decline";
    }
  | { op: "book"; order: number; day: number; slot: number; slots: 1 | 2 }
  | { op: "cancel"; lesson: number; by: "student" | "teacher"; late: boolean }
  | { op: "close"; lesson: number; outcome: "completed" | "no_show" }
  | { op: "refund"; order: number; by: "student" | "teacher"; decision: "approve" | "decline" }
  | { op: "payouts" }
  | { op: "sweep"; hoursAhead: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // Weighted so that most sequences buy, book and close enough to reach refunds and payouts.
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("topUp" as const),
      student: fc.nat(STUDENTS - 1),
      amount: fc.integer({ min: 500, max: 80_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("buy" as const),
      student: fc.nat(STUDENTS - 1),
      hours: fc.constantFrom(1 as const, 10 as const),
      method: fc.constantFrom("wallet" as const, "gateway" as const, "mixed" as const),
      outcome: fc.constantFrom("pay" as const, "payTwice" as const, "decline" as const),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("book" as const),
      order: fc.nat(20),
      day: fc.nat(DAYS - 1),
      slot: fc.nat(DAY_SLOTS - 2),
      slots: fc.constantFrom(1 as const, 2 as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("cancel" as const),
      lesson: fc.nat(20),
      by: fc.constantFrom("student" as const, "teacher" as const),
      late: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("close" as const),
      lesson: fc.nat(20),
      outcome: fc.constantFrom("completed" as const, "no_show" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("refund" as const),
      order: fc.nat(20),
      by: fc.constantFrom("student" as const, "teacher" as const),
      decision: fc.constantFrom("approve" as const, "decline" as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: "payouts" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("sweep" as const),
      hoursAhead: fc.constantFrom(0, 1, 200),
    }),
  },
);

/** Runs a step; a refusal is an answer, anything else is a failure. */
async function allowRefusal(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

async function world() {
  const seller = await createSellingTeacher();
  const firstDay = slotFromNow(48);
  for (let day = 0; day < DAYS; day++) {
    await publish(seller.teacher.id, {
      start: new Date(firstDay.getTime() + day * 24 * HOUR),
      slots: DAY_SLOTS,
    });
  }
  const students = [];
  for (let i = 0; i < STUDENTS; i++) students.push(await createUser("student", `Prop ${i}`));
  const admin = await createUser("admin");
  return { seller, firstDay, students, admin, orders: [] as string[], lessons: [] as string[] };
}

type World = Awaited<ReturnType<typeof world>>;

async function deliver(paymentId: string, amount: number, currency: string, copies: number) {
  const callback = sandboxCallback({
    type: "payment.succeeded",
    paymentId,
    transactionId: newSandboxTransactionId(),
    amount,
    currency,
  });
  const answers = await Promise.all(
    Array.from({ length: copies }, () =>
      receiveWebhook(db, "sandbox", callback.raw, callback.headers),
    ),
  );
  // Exactly one copy applies; the others are duplicates, never a second application.
  expect(answers.map((a) => a.outcome).sort()).toEqual(
    ["applied", ...Array(copies - 1).fill("duplicate")].sort(),
  );
}

async function run(w: World, step: Op): Promise<void> {
  const now = new Date();
  switch (step.op) {
    case "topUp":
      await fundWallet(w.students[step.student]!.id, step.amount);
      return;
    case "buy": {
      const student = w.students[step.student]!;
      const placed = await placeOrder(db, student.id, {
        orderId: newOrderId(),
        teacherId: w.seller.teacher.id,
        courseId: w.seller.courseId,
        purchase: { kind: "package", hours: step.hours },
      });
      w.orders.push(placed.order.id);
      let started: Awaited<ReturnType<typeof startPayment>>;
      try {
        started = await startPayment(db, student.id, {
          idempotencyKey: `prop-${placed.order.id}`,
          orderIds: [placed.order.id],
          method: step.method,
          appUrl: "",
        });
      } catch (error) {
        if (error instanceof DomainError) return; // e.g. not enough in the wallet
        throw error;
      }
      if (started.status !== "pending") return;
      if (step.outcome === "decline") {
        const callback = sandboxCallback({
          type: "payment.failed",
          paymentId: started.paymentId,
          transactionId: newSandboxTransactionId(),
          reason: "declined by the payer",
        });
        await receiveWebhook(db, "sandbox", callback.raw, callback.headers);
        return;
      }
      await deliver(
        started.paymentId,
        started.fromGateway,
        started.currency,
        step.outcome === "payTwice" ? 2 : 1,
      );
      return;
    }
    case "book": {
      const orderId = await paidOrder(w, step.order);
      if (!orderId) return;
      const start = new Date(w.firstDay.getTime() + step.day * 24 * HOUR + step.slot * 1_800_000);
      const [student] = await ordersStudent(orderId);
      await allowRefusal(async () => {
        const lesson = await bookLesson(db, student!, { orderId, start, slots: step.slots }, now);
        w.lessons.push(lesson.id);
      });
      return;
    }
    case "cancel": {
      const lessonId = w.lessons[step.lesson % Math.max(1, w.lessons.length)];
      if (!lessonId) return;
      const lesson = await lessonOf(lessonId);
      // A late cancellation happens an hour before the start: the student forfeits the hours.
      const at = step.late ? new Date(lesson.startsAt.getTime() - HOUR) : now;
      await allowRefusal(() =>
        cancelLesson(
          db,
          step.by === "student"
            ? { role: "student", userId: lesson.studentId }
            : { role: "teacher", teacherId: lesson.teacherId },
          { lessonId, reason: "property test" },
          at,
        ),
      );
      return;
    }
    case "close": {
      const lessonId = w.lessons[step.lesson % Math.max(1, w.lessons.length)];
      if (!lessonId) return;
      const lesson = await lessonOf(lessonId);
      await allowRefusal(() =>
        closeLesson(
          db,
          { role: "teacher", teacherId: lesson.teacherId },
          { lessonId, outcome: step.outcome },
          new Date(lesson.endsAt.getTime() + 60_000),
        ),
      );
      return;
    }
    case "refund": {
      // Mostly paid orders (refundable); now and then any order, to be refused.
      const orderId =
        step.order % 4 === 0
          ? w.orders[step.order % Math.max(1, w.orders.length)]
          : await paidOrder(w, step.order);
      if (!orderId) return;
      const [student] = await ordersStudent(orderId);
      await allowRefusal(async () => {
        const refund = await requestRefund(
          db,
          step.by === "student"
            ? { role: "student", userId: student! }
            : { role: "teacher", teacherId: w.seller.teacher.id, userId: w.seller.user.id },
          { orderId, reason: "property test" },
          now,
        );
        if (refund.status !== "requested") return;
        if (step.decision === "approve") {
          await approveRefund(db, { userId: w.admin.id }, refund.id, now);
        } else {
          await declineRefund(db, { userId: w.admin.id }, { refundId: refund.id, reason: "no" });
        }
      });
      return;
    }
    case "payouts":
      await runWeeklyPayouts(db, new Date(now.getTime() + 30 * 24 * HOUR));
      return;
    case "sweep":
      await sweepTrade(db, new Date(now.getTime() + step.hoursAhead * HOUR));
      return;
  }
}

/** The n-th (mod count) of the run's orders that are paid or in use, if any. */
async function paidOrder(w: World, n: number): Promise<string | undefined> {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        inArray(orders.id, w.orders.length ? w.orders : ["0"]),
        inArray(orders.status, ["paid", "active"]),
      ),
    )
    .orderBy(asc(orders.id));
  return rows.length ? rows[n % rows.length]!.id : undefined;
}

async function ordersStudent(orderId: string): Promise<string[]> {
  const { orderRow } = await import("../paymentFixtures");
  return [(await orderRow(orderId)).studentId];
}

async function lessonOf(lessonId: string) {
  const { lessonRow } = await import("../paymentFixtures");
  return lessonRow(lessonId);
}

describe("money under random sequences of everything that moves it", () => {
  it("keeps every ledger invariant, and reconciliation finds nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 8, maxLength: 40 }), async (ops) => {
        const w = await world();
        for (const step of ops) await run(w, step);
        expect(await reconcileLedger(db)).toEqual([]);
        const report = await runReconciliation(db, { kind: "command" });
        expect(report.mismatches).toEqual([]);
      }),
      { numRuns: Number(process.env.MONEY_PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
  }, 600_000);
});
