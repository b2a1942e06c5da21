import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type DatabaseHandle } from "../../db/client";
import { ledgerTransactions } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { reconcileLedger } from "../../server/ledger/reconcileLedger";
import { approveRefund, declineRefund } from "../../server/payment/decideRefund";
import { requestRefund } from "../../server/payment/requestRefund";
import { createUser } from "../fixtures";
import { orderRow, walletBalance } from "../paymentFixtures";
import { paidPackage, refundsOfOrder } from "../refundFixtures";

/**
 * Races on one order's refund, each racer on its own connection of a 30-connection pool, so
 * they all hold a transaction at once and meet at the order's row lock.
 */
const POOL = 30;
const RACERS = 20;
let handle: DatabaseHandle;

beforeAll(() => {
  handle = connectPostgres(process.env.DATABASE_URL!, POOL);
});
afterAll(async () => {
  await handle.close();
});

const afterCoolingOff = () => new Date(Date.now() + 8 * 86_400_000);

async function settle(runs: Promise<unknown>[]) {
  const results = await Promise.allSettled(runs);
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  for (const failure of failures) {
    // Every loser is told why, as a conflict on a named field; nothing else may go wrong.
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ kind: "conflict" });
  }
  return { ok: results.length - failures.length, failures: failures as DomainError[] };
}

async function approvePostings(refundId: string) {
  return handle.db
    .select()
    .from(ledgerTransactions)
    .where(
      and(
        eq(ledgerTransactions.referenceKind, "refund"),
        eq(ledgerTransactions.referenceId, refundId),
        eq(ledgerTransactions.purpose, "approve"),
      ),
    );
}

describe("concurrent refunds of one order", () => {
  it(`${RACERS} concurrent requests for the same hours make exactly one refund`, async () => {
    const { student, order } = await paidPackage("wallet", { db: handle.db });
    const { ok, failures } = await settle(
      Array.from({ length: RACERS }, () =>
        requestRefund(handle.db, { role: "student", userId: student.id }, { orderId: order.id }),
      ),
    );
    expect(ok).toBe(1);
    expect(failures).toHaveLength(RACERS - 1);
    expect(failures.every((f) => f.field === "orderId")).toBe(true);
    const rows = await refundsOfOrder(order.id, handle.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "succeeded", amount: 30_000 });
    expect(await approvePostings(rows[0]!.id)).toHaveLength(1);
    expect(await walletBalance(student.id)).toBe(30_000);
    expect(await orderRow(order.id, handle.db)).toMatchObject({ status: "refunded" });
    expect(await reconcileLedger(handle.db)).toEqual([]);
  });

  it("two admins approving the same request at once post it once", async () => {
    const { student, order } = await paidPackage("gateway", { db: handle.db });
    const requested = await requestRefund(
      handle.db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      afterCoolingOff(),
    );
    const admins = await Promise.all([createUser("admin", "Ann"), createUser("admin", "Bo")]);
    const { ok, failures } = await settle(
      admins.map((a) => approveRefund(handle.db, { userId: a.id }, requested.id)),
    );
    expect(ok).toBe(1);
    expect(failures.map((f) => f.field)).toEqual(["refundId"]);
    expect(await approvePostings(requested.id)).toHaveLength(1);
    const [row] = await refundsOfOrder(order.id, handle.db);
    expect(row).toMatchObject({ status: "succeeded", toGateway: 30_000 });
    expect(await orderRow(order.id, handle.db)).toMatchObject({ status: "refunded" });
    expect(await reconcileLedger(handle.db)).toEqual([]);
  });

  it("an approval racing a decline: exactly one decision stands", async () => {
    const { student, order } = await paidPackage("wallet", { db: handle.db });
    const requested = await requestRefund(
      handle.db,
      { role: "student", userId: student.id },
      { orderId: order.id },
      afterCoolingOff(),
    );
    const decider = { userId: (await createUser("admin", "Cy")).id };
    const { ok } = await settle([
      approveRefund(handle.db, decider, requested.id),
      declineRefund(handle.db, decider, { refundId: requested.id, reason: "Duplicate request" }),
    ]);
    expect(ok).toBe(1);
    const [row] = await refundsOfOrder(order.id, handle.db);
    const after = await orderRow(order.id, handle.db);
    if (row!.status === "declined") {
      expect(after.status).toBe("paid");
      expect(await walletBalance(student.id)).toBe(0);
      expect(await approvePostings(requested.id)).toHaveLength(0);
    } else {
      expect(row!.status).toBe("succeeded");
      expect(after.status).toBe("refunded");
      expect(await walletBalance(student.id)).toBe(30_000);
      expect(await approvePostings(requested.id)).toHaveLength(1);
    }
    expect(await reconcileLedger(handle.db)).toEqual([]);
  });
});
