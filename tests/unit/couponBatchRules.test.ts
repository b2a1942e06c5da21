import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BatchDraft,
  batchDraftProblems,
  batchEditProblems,
  couponsLeft,
  couponValidity,
  type EditableBatch,
  maxDiscountOf,
  normalizeClaimCode,
  statusMoveAllowed,
} from "../../server/marketing/couponBatchRules";

const NOW = new Date("2026-11-23T06:00:00Z");
const DAY = 86_400_000;

const draft = (over: Partial<BatchDraft> = {}): BatchDraft => ({
  title: "Spring",
  description: "",
  kind: "amount_off",
  amountOff: 500,
  percentBps: null,
  cap: null,
  currency: "USD",
  scopeKind: "all",
  scopeIds: [],
  minOrderAmount: 0,
  validFrom: null,
  validUntil: null,
  validDaysAfterClaim: 30,
  claimUntil: null,
  budgetCount: 100,
  budgetAmount: null,
  perUserLimit: 1,
  exclusive: false,
  public: true,
  claimCode: null,
  ...over,
});

const fields = (d: BatchDraft) => batchDraftProblems(d, NOW).map((p) => p.field);

describe("batchDraftProblems: each problem names its field", () => {
  it("accepts a plain amount-off batch", () => {
    expect(batchDraftProblems(draft(), NOW)).toEqual([]);
  });

  it("a money budget needs a bounded coupon: amount off, or percent off with a cap", () => {
    expect(
      fields(
        draft({ kind: "percent_off", amountOff: null, percentBps: 1000, budgetAmount: 10_000 }),
      ),
    ).toEqual(["cap"]);
    expect(
      fields(
        draft({
          kind: "percent_off",
          amountOff: null,
          percentBps: 1000,
          cap: 800,
          budgetAmount: 10_000,
        }),
      ),
    ).toEqual([]);
    expect(fields(draft({ budgetAmount: 400 }))).toEqual(["budgetAmount"]);
  });

  it("a free trial is budgeted by count, never by money", () => {
    const trial = draft({ kind: "free_trial", amountOff: null });
    expect(fields({ ...trial, budgetCount: null })).toEqual(["budgetCount"]);
    expect(fields({ ...trial, budgetAmount: 10_000 })).toEqual(["budgetAmount"]);
    expect(fields(trial)).toEqual([]);
  });

  it("the kind's own numbers: amount, percentage, cap", () => {
    expect(fields(draft({ amountOff: 0 }))).toEqual(["amountOff"]);
    expect(fields(draft({ cap: 100 }))).toEqual(["cap"]);
    expect(fields(draft({ kind: "percent_off", amountOff: null, percentBps: 10_001 }))).toEqual([
      "percentBps",
    ]);
  });

  it("validity: a window or days after claim, exactly one, in the future", () => {
    expect(fields(draft({ validUntil: new Date(NOW.getTime() + DAY) }))).toEqual(["validUntil"]);
    expect(fields(draft({ validDaysAfterClaim: null }))).toEqual(["validUntil"]);
    expect(
      fields(draft({ validDaysAfterClaim: null, validUntil: new Date(NOW.getTime() - 1) })),
    ).toEqual(["validUntil"]);
    expect(
      fields(
        draft({
          validDaysAfterClaim: null,
          validFrom: new Date(NOW.getTime() + 2 * DAY),
          validUntil: new Date(NOW.getTime() + DAY),
        }),
      ),
    ).toEqual(["validFrom"]);
    expect(fields(draft({ claimUntil: new Date(NOW.getTime() - DAY) }))).toEqual(["claimUntil"]);
  });

  it("scope, limits and claim code", () => {
    expect(fields(draft({ scopeKind: "subjects" }))).toEqual(["scopeIds"]);
    expect(fields(draft({ scopeIds: ["maths"] }))).toEqual(["scopeIds"]);
    expect(fields(draft({ perUserLimit: 0 }))).toEqual(["perUserLimit"]);
    expect(fields(draft({ claimCode: "a b" }))).toEqual(["claimCode"]);
    expect(fields(draft({ claimCode: "spring-26" }))).toEqual([]);
  });
});

describe("budgets", () => {
  it("each coupon holds its largest discount; unbounded kinds hold nothing", () => {
    expect(maxDiscountOf({ kind: "amount_off", amountOff: 500, cap: null })).toBe(500);
    expect(maxDiscountOf({ kind: "percent_off", amountOff: null, cap: 800 })).toBe(800);
    expect(maxDiscountOf({ kind: "percent_off", amountOff: null, cap: null })).toBeNull();
    expect(maxDiscountOf({ kind: "free_trial", amountOff: null, cap: null })).toBeNull();
  });

  it("coupons left is the tighter of the count and the money budget, never negative", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
        fc.integer({ min: 0, max: 100 }),
        (amountOff, budgetCount, budgetAmount, issuedCount) => {
          const batch = {
            kind: "amount_off" as const,
            amountOff,
            cap: null,
            budgetCount,
            budgetAmount,
            issuedCount,
            issuedAmount: issuedCount * amountOff,
          };
          const left = couponsLeft(batch);
          if (budgetCount === null && budgetAmount === null) return left === null;
          const byCount = budgetCount === null ? Infinity : budgetCount - issuedCount;
          const byAmount =
            budgetAmount === null
              ? Infinity
              : Math.floor((budgetAmount - issuedCount * amountOff) / amountOff);
          return left === Math.max(0, Math.min(byCount, byAmount));
        },
      ),
    );
  });
});

describe("batchEditProblems: only edits that cannot hurt issued coupons", () => {
  const batch: EditableBatch = {
    kind: "amount_off",
    amountOff: 500,
    cap: null,
    budgetCount: 100,
    budgetAmount: 50_000,
    issuedCount: 40,
    issuedAmount: 20_000,
    claimUntil: null,
    perUserLimit: 2,
    status: "active",
  };
  const edit = (e: Parameters<typeof batchEditProblems>[1]) =>
    batchEditProblems(batch, e, NOW).map((p) => p.field);

  it("budgets move, never below what was issued", () => {
    expect(edit({ budgetCount: 200, budgetAmount: 60_000 })).toEqual([]);
    expect(edit({ budgetCount: 40 })).toEqual([]);
    expect(edit({ budgetCount: 39 })).toEqual(["budgetCount"]);
    expect(edit({ budgetAmount: 19_999 })).toEqual(["budgetAmount"]);
    expect(
      batchEditProblems({ ...batch, budgetAmount: null }, { budgetAmount: 1 }, NOW)[0]?.field,
    ).toBe("budgetAmount");
  });

  it("the per-student limit only goes up; a retired batch is frozen", () => {
    expect(edit({ perUserLimit: 3 })).toEqual([]);
    expect(edit({ perUserLimit: 1 })).toEqual(["perUserLimit"]);
    expect(batchEditProblems({ ...batch, status: "retired" }, { title: "x" }, NOW)[0]?.field).toBe(
      "status",
    );
    expect(edit({ claimUntil: new Date(NOW.getTime() - 1) })).toEqual(["claimUntil"]);
  });

  it("status moves: anything but from retired, never to the same", () => {
    expect(statusMoveAllowed("active", "paused")).toBe(true);
    expect(statusMoveAllowed("paused", "active")).toBe(true);
    expect(statusMoveAllowed("paused", "retired")).toBe(true);
    expect(statusMoveAllowed("active", "active")).toBe(false);
    expect(statusMoveAllowed("retired", "active")).toBe(false);
  });
});

describe("small rules", () => {
  it("validity from the window or from the claim", () => {
    const until = new Date(NOW.getTime() + 10 * DAY);
    expect(
      couponValidity({ validFrom: null, validUntil: until, validDaysAfterClaim: null }, NOW),
    ).toEqual({ validFrom: NOW, validUntil: until });
    expect(
      couponValidity({ validFrom: null, validUntil: null, validDaysAfterClaim: 7 }, NOW),
    ).toEqual({
      validFrom: NOW,
      validUntil: new Date(NOW.getTime() + 7 * DAY),
    });
  });

  it("claim codes are stored upper case", () => {
    expect(normalizeClaimCode(" spring26 ")).toBe("SPRING26");
    expect(normalizeClaimCode("ab")).toBeNull();
  });
});
