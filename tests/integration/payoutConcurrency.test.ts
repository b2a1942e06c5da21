import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectPostgres,
  type Database,
  type DatabaseHandle,
  getDb,
  type Transaction,
} from "../../db/client";
import { lessonSettlements, payouts } from "../../db/schema";
import { SLOT_MS } from "../../server/inventory/slotBitmap";
import { teacherPayableAccount } from "../../server/ledger/ledgerAccounts";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { WEEK_MS, weekStartUtc } from "../../server/settlement/payoutWeek";
import { type PayoutRunOutcome, runWeeklyPayouts } from "../../server/settlement/runPayouts";
import { bookLesson } from "../../server/trade/lessonBooking";
import { closeLesson } from "../../server/trade/lessonClosing";
import { createPaidPackage, createSellingTeacher, publish, slotFromNow } from "../tradeFixtures";

/**
 * Payout runs racing each other on real Postgres: each run has its own connections, and
 * every run's first transaction waits at a barrier until all runs are inside one, so they
 * reach the same teachers at the same moment.
 */
const RUNS = 6;
let race: DatabaseHandle;
beforeAll(() => {
  race = connectPostgres(process.env.DATABASE_URL!, RUNS * 2);
});
afterAll(() => race.close());

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

/** The race pool, whose transactions wait (once begun) until `n` of them have begun. */
function gatedDb(n: number): Database {
  const ready = barrier(n);
  return new Proxy(race.db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver);
      return (work: (tx: Transaction) => Promise<unknown>) =>
        target.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await ready();
          return work(tx);
        });
    },
  });
}

const db = getDb();

/** A teacher with `lessons` one-hour lessons taken (settled 24.00 net each); their last end. */
async function teacherWithSettlements(firstHour: number, lessons: number) {
  const seller = await createSellingTeacher();
  const start = slotFromNow(firstHour);
  await publish(seller.teacher.id, { start, slots: lessons * 2 });
  const { student, order } = await createPaidPackage(seller, 10);
  let end = start;
  for (let i = 0; i < lessons; i++) {
    const at = new Date(start.getTime() + i * 2 * SLOT_MS);
    const lesson = await bookLesson(db, student.id, { orderId: order.id, start: at, slots: 2 });
    end = new Date(at.getTime() + 2 * SLOT_MS);
    await closeLesson(
      db,
      { role: "teacher", teacherId: seller.teacher.id },
      { lessonId: lesson.id, outcome: "completed" },
      end,
    );
  }
  return { teacherId: seller.teacher.id, end };
}

describe("concurrent payout runs", () => {
  it("make one payout per teacher, every settlement linked once, the ledger consistent", async () => {
    const teachers = [
      await teacherWithSettlements(48, 1),
      await teacherWithSettlements(52, 2),
      await teacherWithSettlements(58, 3),
    ];
    const last = Math.max(...teachers.map((t) => t.end.getTime()));
    const runAt = new Date(weekStartUtc(new Date(last)).getTime() + WEEK_MS + 3_600_000);

    const gated = gatedDb(RUNS);
    const results = await Promise.allSettled(
      Array.from({ length: RUNS }, () => runWeeklyPayouts(gated, runAt)),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const created = results.flatMap(
      (r) => (r as PromiseFulfilledResult<PayoutRunOutcome>).value.created,
    );

    const ids = teachers.map((t) => t.teacherId);
    const rows = await db.select().from(payouts).where(inArray(payouts.teacherId, ids));
    expect(rows).toHaveLength(3);
    expect(created.map((p) => p.id).sort()).toEqual(rows.map((p) => p.id).sort());
    for (const [i, t] of teachers.entries()) {
      const lessons = i + 1;
      const mine = rows.filter((p) => p.teacherId === t.teacherId);
      expect(mine).toMatchObject([{ amount: 2400 * lessons, lessons, currency: "USD" }]);
      const settled = await db
        .select({ payoutId: lessonSettlements.payoutId })
        .from(lessonSettlements)
        .where(eq(lessonSettlements.teacherId, t.teacherId));
      expect(settled).toEqual(Array.from({ length: lessons }, () => ({ payoutId: mine[0]!.id })));
      expect((await teacherPayableAccount(db, t.teacherId, "USD")).balance).toBe(0);
    }
    expect(await reconcileLedger(db)).toEqual([]);

    // And once more, all at once again: nothing left to pay.
    const again = await Promise.all(
      Array.from({ length: RUNS }, () => runWeeklyPayouts(race.db, runAt)),
    );
    expect(again.flatMap((r) => r.created)).toEqual([]);
  });
});
