import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { createUser, sessionOf } from "../fixtures";
import { orderRow, walletBalance } from "../paymentFixtures";
import { paidPackage } from "../refundFixtures";

const callerFor = (session: AppSession | null) =>
  createCaller({ db: getDb(), cache: getCache(), session, requestId: "test" });

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, message: error.message };
  }
  return { code: "ok", message: "" };
}

describe("refunds API", () => {
  it("each role reaches only its procedures; inputs are checked by field", async () => {
    const { seller, student, order } = await paidPackage("wallet");
    const asStudent = callerFor(sessionOf(student));
    const asTeacher = callerFor(sessionOf(seller.user));
    const asAdmin = callerFor(sessionOf(await createUser("admin")));

    expect(
      (await failure(() => callerFor(null).refunds.forOrder({ orderId: order.id }))).code,
    ).toBe("UNAUTHORIZED");
    expect((await failure(() => asTeacher.refunds.request({ orderId: order.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await failure(() => asStudent.refunds.pending())).code).toBe("FORBIDDEN");
    expect(
      (await failure(() => asStudent.refunds.refundOrder({ orderId: order.id, reason: "abc" })))
        .code,
    ).toBe("FORBIDDEN");
    expect((await failure(() => asStudent.refunds.request({ orderId: "nope" }))).code).toBe(
      "BAD_REQUEST",
    );
    const shortReason = await failure(() =>
      asTeacher.refunds.refundOrder({ orderId: order.id, reason: "x" }),
    );
    expect(shortReason).toMatchObject({ code: "BAD_REQUEST" });
    expect(shortReason.message).toMatch(/reason/);

    // Student and teacher see the same quote; another student sees nothing.
    const quote = { slots: 20, amount: 30_000, bookedLessons: 0, hasPayment: true };
    expect(await asStudent.refunds.forOrder({ orderId: order.id })).toMatchObject({
      refunds: [],
      quote: { ...quote, approvedAtOnce: true },
    });
    expect(await asTeacher.refunds.forOrder({ orderId: order.id })).toMatchObject({ quote });
    const other = callerFor(sessionOf(await createUser("student")));
    expect((await failure(() => other.refunds.forOrder({ orderId: order.id }))).code).toBe(
      "NOT_FOUND",
    );

    const refund = await asStudent.refunds.request({ orderId: order.id });
    expect(refund).toMatchObject({ status: "succeeded", amount: 30_000 });
    expect(await walletBalance(student.id)).toBe(30_000);
    expect(await orderRow(order.id)).toMatchObject({ status: "refunded" });
    const again = await failure(() => asStudent.refunds.request({ orderId: order.id }));
    expect(again.code).toBe("CONFLICT");
    expect((await asAdmin.refunds.pending()).recent.map((r) => r.id)).toContain(refund.id);
  });
});
