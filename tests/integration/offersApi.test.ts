import superjson, { type SuperJSONResult } from "superjson";
import { describe, expect, it } from "vitest";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import type { AppSession } from "../../server/identity/session";
import { newId } from "../../server/ids/snowflake";
import { createUser, sessionOf } from "../fixtures";
import { insertCoupon, insertCouponBatch, insertPromotion } from "../marketingFixtures";
import { createSellingTeacher } from "../tradeFixtures";

interface ErrorBody {
  message: string;
  data: { httpStatus: number; fieldErrors: Record<string, string[]> | null };
}

/** The real tRPC HTTP handler, as the Next.js route calls it: queries GET, mutations POST. */
async function call(path: string, input: unknown, session: AppSession | null, query = false) {
  const encoded = superjson.serialize(input);
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (query) url.searchParams.set("input", JSON.stringify(encoded));
  const res = await handleTrpcRequest(
    new Request(url, {
      method: query ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: query ? undefined : JSON.stringify(encoded),
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

describe("offers at checkout over HTTP", () => {
  it("trade.quote prices with the promotion and the student's coupons; placeOrder takes the choice", async () => {
    const seller = await createSellingTeacher();
    const user = await createUser("student", "Quinn Quote");
    const session = sessionOf(user);
    await insertPromotion({
      title: "Teacher week",
      scopeKind: "teachers",
      scopeIds: [seller.teacher.id],
    });
    const coupon = await insertCoupon(await insertCouponBatch({ issuedCount: 10 }), user.id);
    const purchase = { kind: "package", hours: 10 };
    const target = { teacherId: seller.teacher.id, courseId: seller.courseId, purchase };

    const quote = await call("trade.quote", target, session, true);
    expect(quote.status).toBe(200);
    expect(quote.data).toMatchObject({
      currency: "USD",
      best: {
        listAmount: 30_000,
        payable: 26_500,
        discounts: [
          { source: "promotion", title: "Teacher week", amount: 3_000 },
          { source: "coupon", id: coupon.id, amount: 500 },
        ],
      },
      withoutCoupon: { payable: 27_000 },
      coupons: [{ couponId: coupon.id, code: coupon.code, quote: { payable: 26_500 } }],
      couponsPerDay: 3,
      couponUsesLeftToday: 3,
    });
    expect((await call("trade.quote", target, null, true)).status).toBe(401);

    const malformed = await call(
      "trade.placeOrder",
      { ...target, orderId: newId(), coupon: "the best one" },
      session,
    );
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.error?.data.fieldErrors ?? {})).toEqual(["coupon"]);

    const placed = await call("trade.placeOrder", { ...target, orderId: newId() }, session);
    expect(placed.status).toBe(200);
    const order = await call("trade.order", { orderId: placed.data?.orderId }, session, true);
    expect(order.data).toMatchObject({
      listAmount: 30_000,
      discountAmount: 3_500,
      payableAmount: 26_500,
      discounts: [
        { source: "promotion", title: "Teacher week", amount: 3_000 },
        { source: "coupon", title: "Five off", amount: 500 },
      ],
    });
    // The coupon is locked now: naming it again is refused, naming the field.
    const again = await call(
      "trade.placeOrder",
      { ...target, orderId: newId(), coupon: coupon.id },
      session,
    );
    expect(again.status).toBe(400);
    expect(Object.keys(again.error?.data.fieldErrors ?? {})).toEqual(["coupon"]);
  });
});
