import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { createUser, sessionOf } from "../fixtures";
import { fundWallet, heldLesson, sellerWithTime } from "../paymentFixtures";

const callerFor = (session: AppSession | null) =>
  createCaller({ db: getDb(), cache: getCache(), session, requestId: "test" });

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

describe("payments API", () => {
  it("start pays from the wallet or opens a sandbox checkout; byId shows only the payer's", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    const student = callerFor(sessionOf(held.student));

    const pending = await student.payments.start({
      idempotencyKey: "checkout-key-1",
      orderIds: [held.order.id],
      method: "gateway",
    });
    expect(pending).toMatchObject({
      status: "pending",
      redirectUrl: `/sandbox/pay/${pending.paymentId}`,
    });
    expect(await student.payments.byId({ paymentId: pending.paymentId })).toMatchObject({
      status: "pending",
      fromGateway: 3000,
      items: [{ orderId: held.order.id, amount: 3000, outcome: "pending", note: null }],
    });

    await fundWallet(held.student.id, 3000);
    const paid = await student.payments.start({
      idempotencyKey: "checkout-key-2",
      orderIds: [held.order.id],
      method: "wallet",
    });
    expect(paid).toMatchObject({ status: "succeeded", redirectUrl: null });

    const stranger = await createUser("student");
    expect(
      await codeOf(() =>
        callerFor(sessionOf(stranger)).payments.byId({ paymentId: paid.paymentId }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(() =>
        student.payments.start({
          idempotencyKey: "k",
          orderIds: [held.order.id],
          method: "wallet",
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(() =>
        student.payments.start({
          idempotencyKey: "checkout-key-3",
          orderIds: [],
          method: "gateway",
        }),
      ),
    ).toBe("BAD_REQUEST");
    const teacher = callerFor(sessionOf(seller.user));
    expect(await codeOf(() => teacher.payments.byId({ paymentId: paid.paymentId }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(() => callerFor(null).payments.byId({ paymentId: "1" }))).toBe(
      "UNAUTHORIZED",
    );
  });
});
