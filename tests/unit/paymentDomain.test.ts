import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signCallback, verifyCallback } from "../../server/payment/callbackSignature";
import { PaymentSplitError, splitPayment } from "../../server/payment/paymentSplit";
import {
  isFinalPaymentStatus,
  nextPaymentStatus,
  PAYMENT_EVENTS,
  PAYMENT_STATUSES,
  type PaymentEvent,
  type PaymentStatus,
} from "../../server/payment/paymentStateMachine";

/** Written out by hand: the payment order lifecycle. Anything not listed is refused. */
const ALLOWED: Record<string, PaymentStatus> = {
  "created submit": "pending",
  "created succeed": "succeeded",
  "pending succeed": "succeeded",
  "created fail": "failed",
  "pending fail": "failed",
  "created expire": "expired",
  "pending expire": "expired",
  // The gateway's word that money moved overrides a decline or our timeout (late money).
  "failed succeed": "succeeded",
  "expired succeed": "succeeded",
  "succeeded refundPartially": "partially_refunded",
  "partially_refunded refundPartially": "partially_refunded",
  "succeeded refund": "refunded",
  "partially_refunded refund": "refunded",
};

describe("payment state machine", () => {
  for (const status of PAYMENT_STATUSES) {
    for (const event of PAYMENT_EVENTS) {
      const expected = ALLOWED[`${status} ${event}`] ?? null;
      it(`${status} --${event}--> ${expected ?? "refused"}`, () => {
        expect(nextPaymentStatus(status, event)).toBe(expected);
      });
    }
  }

  it("only refunded is final: a failed or expired payment may still succeed late", () => {
    expect(PAYMENT_STATUSES.filter(isFinalPaymentStatus)).toEqual(["refunded"]);
    for (const status of ["failed", "expired"] as const) {
      expect(PAYMENT_EVENTS.filter((e) => nextPaymentStatus(status, e) !== null)).toEqual([
        "succeed",
      ]);
    }
  });

  it("no event sequence leaves a final state or returns to created or pending after success", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PAYMENT_EVENTS), { maxLength: 20 }), (events) => {
        let status: PaymentStatus = "created";
        let succeeded = false;
        for (const event of events as PaymentEvent[]) {
          const next = nextPaymentStatus(status, event);
          if (next === null) continue;
          if (isFinalPaymentStatus(status)) return false;
          if (succeeded && (next === "created" || next === "pending" || next === "failed")) {
            return false;
          }
          if (next === "succeeded") succeeded = true;
          status = next;
        }
        return PAYMENT_STATUSES.includes(status);
      }),
    );
  });
});

describe("splitPayment", () => {
  const items = [
    { orderId: "1", amount: 3000 },
    { orderId: "2", amount: 4550 },
  ];

  it("sums a combined checkout and charges the gateway for all of it", () => {
    expect(splitPayment({ items, method: "gateway", walletBalance: 10_000 })).toEqual({
      itemsTotal: 7550,
      discount: 0,
      total: 7550,
      fromWallet: 0,
      fromGateway: 7550,
    });
  });

  it("takes the wallet first in a mixed payment", () => {
    expect(splitPayment({ items, method: "mixed", walletBalance: 2000 })).toMatchObject({
      fromWallet: 2000,
      fromGateway: 5550,
    });
    expect(splitPayment({ items, method: "mixed", walletBalance: 9000 })).toMatchObject({
      fromWallet: 7550,
      fromGateway: 0,
    });
  });

  it("refuses a wallet-only payment the balance does not cover, naming the method", () => {
    expect(() => splitPayment({ items, method: "wallet", walletBalance: 7549 })).toThrow(
      expect.objectContaining({ field: "method", message: "Not enough balance in your wallet" }),
    );
    expect(splitPayment({ items, method: "wallet", walletBalance: 7550 }).fromWallet).toBe(7550);
  });

  it("applies a discount line, never above the total", () => {
    expect(
      splitPayment({ items, method: "gateway", walletBalance: 0, discount: 550 }),
    ).toMatchObject({
      discount: 550,
      total: 7000,
      fromGateway: 7000,
    });
    expect(
      splitPayment({ items, method: "gateway", walletBalance: 0, discount: 99_999 }).total,
    ).toBe(0);
  });

  it("refuses empty, duplicated and non-integer input with the field", () => {
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof PaymentSplitError ? error.field : "other";
      }
      return null;
    };
    expect(field(() => splitPayment({ items: [], method: "gateway", walletBalance: 0 }))).toBe(
      "items",
    );
    expect(
      field(() =>
        splitPayment({ items: [items[0]!, items[0]!], method: "gateway", walletBalance: 0 }),
      ),
    ).toBe("items");
    expect(
      field(() =>
        splitPayment({
          items: [{ orderId: "1", amount: 1.5 }],
          method: "gateway",
          walletBalance: 0,
        }),
      ),
    ).toBe("items");
    expect(field(() => splitPayment({ items, method: "mixed", walletBalance: -1 }))).toBe(
      "walletBalance",
    );
    expect(
      field(() => splitPayment({ items, method: "gateway", walletBalance: 0, discount: -5 })),
    ).toBe("discount");
  });

  it("always adds up: wallet + gateway = total = items − discount, nothing negative", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("gateway", "mixed", "wallet" as const),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (amounts, method, walletBalance, discount) => {
          const list = amounts.map((amount, i) => ({ orderId: String(i + 1), amount }));
          let split: ReturnType<typeof splitPayment>;
          try {
            split = splitPayment({ items: list, method, walletBalance, discount });
          } catch (error) {
            // Only a wallet-only payment the balance cannot cover may be refused.
            return (
              error instanceof PaymentSplitError && method === "wallet" && error.field === "method"
            );
          }
          const sum = amounts.reduce((a, b) => a + b, 0);
          return (
            split.itemsTotal === sum &&
            split.total === sum - split.discount &&
            split.fromWallet + split.fromGateway === split.total &&
            split.fromWallet <= walletBalance &&
            Math.min(split.fromWallet, split.fromGateway, split.discount) >= 0 &&
            (method !== "gateway" || split.fromWallet === 0)
          );
        },
      ),
    );
  });
});

describe("callback signatures", () => {
  const secret = "whsec_test_secret";
  const body = JSON.stringify({ paymentId: "123", amount: 3000, currency: "USD" });
  const at = new Date("2026-11-23T10:00:00Z");

  it("verifies what it signed", () => {
    expect(verifyCallback(secret, body, signCallback(secret, body, at), at)).toEqual({ ok: true });
  });

  it("refuses a changed body, another secret, a missing or malformed header, an old timestamp", () => {
    const header = signCallback(secret, body, at);
    const reasons = [
      verifyCallback(secret, body.replace("3000", "30"), header, at),
      verifyCallback("other", body, header, at),
      verifyCallback(secret, body, null, at),
      verifyCallback(secret, body, "t=abc,v1=zz", at),
      verifyCallback(secret, body, header, new Date(at.getTime() + 301_000)),
    ].map((r) => (r.ok ? "ok" : r.reason));
    expect(reasons).toEqual([
      "signature does not match",
      "signature does not match",
      "missing signature header",
      "malformed signature header",
      "signature timestamp outside the tolerance",
    ]);
  });
});
