import { describe, expect, it } from "vitest";
import {
  ABANDONED_ATTEMPT_REASON,
  sandboxDeliverySteps,
} from "../../server/payment/sandboxDeliveryOptions";
import { minorDigits, topUpLimits, topUpProblem } from "../../server/payment/topUpRules";
import { csvAmount } from "../../server/payment/walletStatementCsv";
import { describeWalletLine } from "../../server/payment/walletWords";

describe("top-up rules", () => {
  it("limits are 5.00 to 2,000.00 in the currency's major unit", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(topUpLimits("USD")).toEqual({ min: 500, max: 200_000 });
    expect(topUpLimits("JPY")).toEqual({ min: 5, max: 2_000 });
    expect(topUpProblem(500, "USD")).toBeNull();
    expect(topUpProblem(200_000, "USD")).toBeNull();
    expect(topUpProblem(499, "USD")?.field).toBe("amount");
    expect(topUpProblem(200_001, "USD")?.field).toBe("amount");
    expect(topUpProblem(1000.5, "USD")?.field).toBe("amount");
    expect(topUpProblem(1000, "EUR")?.field).toBe("currency");
  });

  it("CSV amounts are plain decimals of the major unit", () => {
    expect(csvAmount(0, "USD")).toBe("0.00");
    expect(csvAmount(5, "USD")).toBe("0.05");
    expect(csvAmount(-123_456, "USD")).toBe("-1234.56");
    expect(csvAmount(-7, "JPY")).toBe("-7");
  });
});

describe("wallet lines in words", () => {
  const line = (
    referenceKind: "payment" | "refund" | "top_up" | "adjustment",
    purpose: string,
    memo: string | null = null,
  ) => ({
    referenceKind,
    purpose,
    memo,
  });

  it("names top-ups, payments (with their order), refunds (with their reason), card money returned", () => {
    expect(
      describeWalletLine(line("payment", "capture", "wallet top-up"), {
        purpose: "top_up",
        orderIds: [],
      }),
    ).toEqual({
      kind: "top_up",
      description: "Wallet top-up",
      orderId: null,
      note: null,
    });
    expect(
      describeWalletLine(line("payment", "capture"), { purpose: "orders", orderIds: ["11", "12"] }),
    ).toMatchObject({
      kind: "payment",
      description: "Payment for lessons (2 orders)",
      orderId: "11",
    });
    expect(
      describeWalletLine(line("refund", "order 42", "Refunded: expired"), {
        purpose: "orders",
        orderIds: ["41", "42"],
      }),
    ).toEqual({
      kind: "refund",
      description: "Refund to your wallet",
      orderId: "42",
      note: "Refunded: expired",
    });
    expect(
      describeWalletLine(line("payment", "gateway to wallet", "spent meanwhile"), {
        purpose: "orders",
        orderIds: ["9"],
      }),
    ).toMatchObject({
      kind: "card_to_wallet",
      orderId: "9",
      note: "spent meanwhile",
    });
    expect(describeWalletLine(line("adjustment", "x", "Goodwill"), null)).toMatchObject({
      kind: "other",
      description: "Goodwill",
    });
  });
});

describe("sandbox delivery steps", () => {
  const payment = { id: "77", fromGateway: 3000, currency: "USD" } as Parameters<
    typeof sandboxDeliverySteps
  >[0];
  let n = 0;
  const ids = () => `tx_${++n}`;

  it("default: the decision twice at once; out of order only changes Pay", () => {
    expect(sandboxDeliverySteps(payment, "pay", "default", ids)).toEqual([
      {
        body: {
          type: "payment.succeeded",
          paymentId: "77",
          transactionId: "tx_1",
          amount: 3000,
          currency: "USD",
        },
        plan: { copies: 2, delayMs: 0 },
      },
    ]);
    const declined = sandboxDeliverySteps(payment, "decline", "out_of_order", ids);
    expect(declined.map((s) => [s.body.type, s.plan])).toEqual([
      ["payment.failed", { copies: 2, delayMs: 0 }],
    ]);
    const outOfOrder = sandboxDeliverySteps(payment, "pay", "out_of_order", ids);
    expect(outOfOrder.map((s) => s.body.type)).toEqual(["payment.succeeded", "payment.failed"]);
    expect(outOfOrder[1]!.body).toMatchObject({ reason: ABANDONED_ATTEMPT_REASON });
    expect(sandboxDeliverySteps(payment, "decline", "late", ids)[0]!.plan).toEqual({
      copies: 2,
      delayMs: 20_000,
    });
  });
});
