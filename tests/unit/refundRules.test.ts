import { afterEach, describe, expect, it } from "vitest";
import {
  gatewayRefundDue,
  MAX_GATEWAY_REFUND_ATTEMPTS,
  refundCoolingOffDays,
  refundQuote,
  splitRefund,
  withinCoolingOff,
} from "../../server/payment/refundRules";
import { nextRefundStatus } from "../../server/payment/refundStateMachine";
import { valueOfFirstSlots } from "../../server/settlement/lessonValue";

const DAY = 86_400_000;
const MIN = 60_000;

describe("refundQuote: the unused hours and what they are worth", () => {
  it("gives everything back when nothing was used, the unused share after use", () => {
    const order = { paidAmount: 30_000, payableAmount: 30_000, slotsBought: 20, slotsUsed: 0 };
    expect(refundQuote(order)).toEqual({ slots: 20, amount: 30_000 });
    expect(refundQuote({ ...order, slotsUsed: 2 })).toEqual({ slots: 18, amount: 27_000 });
  });

  it("refunds out of what was paid (a discount lowers it), falling back to the payable amount", () => {
    const base = { payableAmount: 30_000, slotsBought: 20, slotsUsed: 5 };
    expect(refundQuote({ ...base, paidAmount: 24_000 }).amount).toBe(18_000);
    expect(refundQuote({ ...base, paidAmount: null }).amount).toBe(22_500);
  });

  it("loses no cent: used lessons' value plus the refund is exactly what was paid", () => {
    for (const [paid, bought] of [
      [1_000, 3],
      [9_999, 7],
      [12_345, 200],
      [1, 4],
    ] as const) {
      for (let used = 0; used < bought; used++) {
        const { amount, slots } = refundQuote({
          paidAmount: paid,
          payableAmount: paid,
          slotsBought: bought,
          slotsUsed: used,
        });
        expect(slots).toBe(bought - used);
        expect(valueOfFirstSlots(paid, bought, used) + amount).toBe(paid);
      }
    }
  });
});

describe("splitRefund: to the original method, gateway first", () => {
  it("a wallet payment refunds to the wallet, a gateway payment to the gateway", () => {
    expect(splitRefund({ amount: 3000, fromGateway: 0, gatewayRefundedBefore: 0 })).toEqual({
      toGateway: 0,
      toWallet: 3000,
    });
    expect(splitRefund({ amount: 3000, fromGateway: 3000, gatewayRefundedBefore: 0 })).toEqual({
      toGateway: 3000,
      toWallet: 0,
    });
  });

  it("a mixed payment fills the gateway part first, the rest goes to the wallet", () => {
    expect(splitRefund({ amount: 27_000, fromGateway: 20_000, gatewayRefundedBefore: 0 })).toEqual({
      toGateway: 20_000,
      toWallet: 7_000,
    });
    expect(splitRefund({ amount: 5_000, fromGateway: 20_000, gatewayRefundedBefore: 0 })).toEqual({
      toGateway: 5_000,
      toWallet: 0,
    });
  });

  it("earlier refunds of the same payment use up its gateway part", () => {
    expect(
      splitRefund({ amount: 10_000, fromGateway: 15_000, gatewayRefundedBefore: 9_000 }),
    ).toEqual({ toGateway: 6_000, toWallet: 4_000 });
    expect(
      splitRefund({ amount: 10_000, fromGateway: 15_000, gatewayRefundedBefore: 15_000 }),
    ).toEqual({ toGateway: 0, toWallet: 10_000 });
  });

  it("refuses amounts that are not whole minor units", () => {
    expect(() => splitRefund({ amount: -1, fromGateway: 0, gatewayRefundedBefore: 0 })).toThrow(
      RangeError,
    );
    expect(() => splitRefund({ amount: 1.5, fromGateway: 0, gatewayRefundedBefore: 0 })).toThrow(
      RangeError,
    );
  });
});

describe("the cooling-off rule", () => {
  const paidAt = new Date("2026-11-01T10:00:00Z");
  it("approves an untouched order within the window, nothing else", () => {
    expect(
      withinCoolingOff({ slotsUsed: 0, paidAt }, new Date(paidAt.getTime() + 7 * DAY), 7),
    ).toBe(true);
    expect(
      withinCoolingOff({ slotsUsed: 0, paidAt }, new Date(paidAt.getTime() + 7 * DAY + 1), 7),
    ).toBe(false);
    expect(withinCoolingOff({ slotsUsed: 1, paidAt }, paidAt, 7)).toBe(false);
    expect(withinCoolingOff({ slotsUsed: 0, paidAt: null }, paidAt, 7)).toBe(false);
    expect(withinCoolingOff({ slotsUsed: 0, paidAt }, paidAt, 0)).toBe(false);
  });

  const saved = process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS;
  afterEach(() => {
    if (saved === undefined) delete process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS;
    else process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS = saved;
  });

  it("reads its window from the environment, 7 days by default", () => {
    delete process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS;
    expect(refundCoolingOffDays()).toBe(7);
    process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS = "14";
    expect(refundCoolingOffDays()).toBe(14);
    process.env.HALFHOUR_REFUND_COOLING_OFF_DAYS = "soon";
    expect(() => refundCoolingOffDays()).toThrow(/HALFHOUR_REFUND_COOLING_OFF_DAYS/);
  });
});

describe("gateway refund retries", () => {
  const decidedAt = new Date("2026-11-01T10:00:00Z");
  const at = (minutes: number) => new Date(decidedAt.getTime() + minutes * MIN);
  it("back off from the approval and stop after the last attempt", () => {
    expect(gatewayRefundDue({ attempts: 0, decidedAt }, at(0))).toBe(false);
    expect(gatewayRefundDue({ attempts: 0, decidedAt }, at(1))).toBe(true);
    expect(gatewayRefundDue({ attempts: 1, decidedAt }, at(1))).toBe(true);
    expect(gatewayRefundDue({ attempts: 2, decidedAt }, at(1))).toBe(false);
    expect(gatewayRefundDue({ attempts: 2, decidedAt }, at(2))).toBe(true);
    expect(gatewayRefundDue({ attempts: 5, decidedAt }, at(59))).toBe(false);
    expect(gatewayRefundDue({ attempts: 5, decidedAt }, at(60))).toBe(true);
    expect(gatewayRefundDue({ attempts: MAX_GATEWAY_REFUND_ATTEMPTS, decidedAt }, at(1e6))).toBe(
      false,
    );
  });
});

describe("the refund state machine", () => {
  it("approves or declines a request once, completes an approved one once", () => {
    expect(nextRefundStatus("requested", "approve")).toBe("processing");
    expect(nextRefundStatus("requested", "decline")).toBe("declined");
    expect(nextRefundStatus("processing", "complete")).toBe("succeeded");
    expect(nextRefundStatus("processing", "approve")).toBeNull();
    expect(nextRefundStatus("declined", "approve")).toBeNull();
    expect(nextRefundStatus("succeeded", "complete")).toBeNull();
  });
});
