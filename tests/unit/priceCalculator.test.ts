import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bestPrice,
  type CouponOffer,
  type OfferScope,
  type PromotionOffer,
  type PurchaseFacts,
  priceWith,
} from "../../server/marketing/priceCalculator";

// ---------------------------------------------------------------------------------------------
// Arbitraries: small worlds of one purchase, ≤ 3 promotions and ≤ 3 coupons.

const COURSES = ["11", "12"];
const TEACHERS = ["21", "22"];
const SUBJECTS = ["mathematics", "physics"];

const scopeArb: fc.Arbitrary<OfferScope> = fc.oneof(
  fc.constant({ kind: "all" as const }),
  fc.record({
    kind: fc.constant("courses" as const),
    ids: fc.subarray(COURSES, { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant("teachers" as const),
    ids: fc.subarray(TEACHERS, { minLength: 1 }),
  }),
  fc.record({
    kind: fc.constant("subjects" as const),
    ids: fc.subarray(SUBJECTS, { minLength: 1 }),
  }),
);

const factsArb: fc.Arbitrary<PurchaseFacts> = fc.record({
  courseId: fc.constantFrom(...COURSES),
  teacherId: fc.constantFrom(...TEACHERS),
  subjectIds: fc.subarray(SUBJECTS, { minLength: 1 }),
  purchase: fc.oneof(
    fc.record({ kind: fc.constant("lesson" as const), slots: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant("package" as const), hours: fc.integer({ min: 2, max: 60 }) }),
  ),
  listAmount: fc.integer({ min: 0, max: 200_000 }),
  newToTeacher: fc.boolean(),
});

const promotionRuleArb = fc.oneof(
  fc.record({
    kind: fc.constant("percent_off" as const),
    percentBps: fc.integer({ min: 1, max: 10_000 }),
  }),
  fc.record({
    kind: fc.constant("amount_off" as const),
    amountOff: fc.integer({ min: 1, max: 250_000 }),
  }),
  fc.record({
    kind: fc.constant("first_lesson_price" as const),
    price: fc.integer({ min: 0, max: 250_000 }),
  }),
  fc.record({
    kind: fc.constant("package_discount" as const),
    minHours: fc.integer({ min: 1, max: 60 }),
    percentBps: fc.integer({ min: 1, max: 10_000 }),
  }),
);

const couponRuleArb = fc.oneof(
  fc.record({
    kind: fc.constant("amount_off" as const),
    amountOff: fc.integer({ min: 1, max: 250_000 }),
  }),
  fc.record({
    kind: fc.constant("percent_off" as const),
    percentBps: fc.integer({ min: 1, max: 10_000 }),
    cap: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant("free_trial" as const) }),
);

/** Ids drawn unique across the world, so a tie-break by id is well defined. */
const worldArb = fc
  .tuple(
    factsArb,
    fc.array(
      fc.record({
        title: fc.constantFrom("Spring", "Summer"),
        rule: promotionRuleArb,
        scope: scopeArb,
        priority: fc.integer({ min: -2, max: 2 }),
        exclusive: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    fc.array(
      fc.record({
        title: fc.constantFrom("Welcome", "Loyal"),
        rule: couponRuleArb,
        scope: scopeArb,
        minOrderAmount: fc.integer({ min: 0, max: 200_000 }),
        exclusive: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    fc.uniqueArray(fc.integer({ min: 1, max: 99_999 }), { minLength: 6, maxLength: 6 }),
  )
  .map(([facts, ps, cs, ids]) => ({
    facts,
    promotions: ps.map((p, i) => ({ ...p, id: String(ids[i]) }) as PromotionOffer),
    coupons: cs.map((c, i) => ({ ...c, id: String(ids[3 + i]) }) as CouponOffer),
  }));

// ---------------------------------------------------------------------------------------------
// An independent model of the rules (the calculator's header comment), written without its code.

const fits = (scope: OfferScope, f: PurchaseFacts) =>
  scope.kind === "all" ||
  (scope.kind === "courses" && scope.ids.includes(f.courseId)) ||
  (scope.kind === "teachers" && scope.ids.includes(f.teacherId)) ||
  (scope.kind === "subjects" && scope.ids.some((s) => f.subjectIds.includes(s)));

function modelPromotionOff(p: PromotionOffer, f: PurchaseFacts, amount: number): number | null {
  if (!fits(p.scope, f)) return null;
  const r = p.rule;
  if (r.kind === "percent_off") return Math.floor((amount * r.percentBps) / 10_000);
  if (r.kind === "amount_off") return Math.min(amount, r.amountOff);
  if (r.kind === "first_lesson_price") {
    if (f.purchase.kind !== "lesson" || !f.newToTeacher) return null;
    return Math.max(0, amount - r.price);
  }
  if (f.purchase.kind !== "package" || f.purchase.hours < r.minHours) return null;
  return Math.floor((amount * r.percentBps) / 10_000);
}

function modelCouponOff(c: CouponOffer, f: PurchaseFacts, amount: number): number | null {
  if (!fits(c.scope, f) || f.listAmount < c.minOrderAmount) return null;
  const r = c.rule;
  if (r.kind === "amount_off") return Math.min(amount, r.amountOff);
  if (r.kind === "percent_off") {
    const raw = Math.floor((amount * r.percentBps) / 10_000);
    return Math.min(raw, r.cap ?? raw);
  }
  if (f.purchase.kind !== "lesson" || f.purchase.slots > 2) return null;
  return amount;
}

type Offer = { type: "promotion"; p: PromotionOffer } | { type: "coupon"; c: CouponOffer };

/** Payable for exactly this subset of offers, or null when the subset is not a valid combination. */
function modelPayable(f: PurchaseFacts, subset: Offer[]): number | null {
  const ps = subset.filter((o) => o.type === "promotion");
  const cs = subset.filter((o) => o.type === "coupon");
  if (ps.length > 1 || cs.length > 1) return null;
  const exclusive = subset.some((o) => (o.type === "promotion" ? o.p.exclusive : o.c.exclusive));
  if (exclusive && subset.length > 1) return null;
  let amount = f.listAmount;
  if (ps[0]) {
    const off = modelPromotionOff(ps[0].p, f, amount);
    if (off === null) return null;
    amount -= off;
  }
  if (cs[0]) {
    const off = modelCouponOff(cs[0].c, f, amount);
    if (off === null) return null;
    amount -= off;
  }
  return amount;
}

/** Every subset of every offer (2^(P+C) ≤ 64), priced by the model; the lowest valid payable. */
function bruteForceBest(f: PurchaseFacts, ps: PromotionOffer[], cs: CouponOffer[]): number {
  const all: Offer[] = [
    ...ps.map((p) => ({ type: "promotion" as const, p })),
    ...cs.map((c) => ({ type: "coupon" as const, c })),
  ];
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 1 << all.length; mask++) {
    const subset = all.filter((_, i) => mask & (1 << i));
    const payable = modelPayable(f, subset);
    if (payable !== null && payable < best) best = payable;
  }
  return best;
}

const shuffled = <T>(items: readonly T[], seed: number) =>
  items
    .map((item, i) => ({ item, key: (i * 7919 + seed * 104_729) % 1_000_003 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);

// ---------------------------------------------------------------------------------------------

describe("bestPrice properties", () => {
  const runs = { numRuns: 2_000 };

  it("never exceeds the list price and never goes below zero; the breakdown adds up", () => {
    fc.assert(
      fc.property(worldArb, ({ facts, promotions, coupons }) => {
        const q = bestPrice(facts, promotions, coupons);
        expect(q.listAmount).toBe(facts.listAmount);
        expect(q.payable).toBeGreaterThanOrEqual(0);
        expect(q.payable).toBeLessThanOrEqual(facts.listAmount);
        expect(q.discountTotal).toBe(q.discounts.reduce((s, d) => s + d.amount, 0));
        expect(q.payable + q.discountTotal).toBe(facts.listAmount);
        for (const line of q.discounts) expect(line.amount).toBeGreaterThanOrEqual(0);
      }),
      runs,
    );
  });

  it("an exclusive offer never stacks", () => {
    fc.assert(
      fc.property(worldArb, ({ facts, promotions, coupons }) => {
        const q = bestPrice(facts, promotions, coupons);
        const usedPromotion = promotions.find((p) => p.id === q.promotionId);
        const usedCoupon = coupons.find((c) => c.id === q.couponId);
        if (usedPromotion?.exclusive || usedCoupon?.exclusive) {
          expect(q.discounts.length).toBeLessThanOrEqual(1);
          expect(Boolean(q.promotionId) && Boolean(q.couponId)).toBe(false);
        }
        expect(q.discounts.filter((d) => d.source === "promotion").length).toBeLessThanOrEqual(1);
        expect(q.discounts.filter((d) => d.source === "coupon").length).toBeLessThanOrEqual(1);
      }),
      runs,
    );
  });

  it("is truly best: equals a brute force over all subsets of the offers, priced independently", () => {
    fc.assert(
      fc.property(worldArb, ({ facts, promotions, coupons }) => {
        const q = bestPrice(facts, promotions, coupons);
        expect(q.payable).toBe(bruteForceBest(facts, promotions, coupons));
        // …and the combination it names really costs that, by the model.
        const chosen: Offer[] = [
          ...promotions
            .filter((p) => p.id === q.promotionId)
            .map((p) => ({ type: "promotion" as const, p })),
          ...coupons
            .filter((c) => c.id === q.couponId)
            .map((c) => ({ type: "coupon" as const, c })),
        ];
        expect(modelPayable(facts, chosen)).toBe(q.payable);
      }),
      runs,
    );
  });

  it("is deterministic: the order of the candidates does not change the answer", () => {
    fc.assert(
      fc.property(worldArb, fc.nat(1000), ({ facts, promotions, coupons }, seed) => {
        const a = bestPrice(facts, promotions, coupons);
        const b = bestPrice(facts, shuffled(promotions, seed), shuffled(coupons, seed + 1));
        const c = bestPrice(facts, [...promotions].reverse(), [...coupons].reverse());
        expect(b).toEqual(a);
        expect(c).toEqual(a);
      }),
      runs,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Examples, one per rule kind.

const lesson = (slots: number, listAmount: number, newToTeacher = true): PurchaseFacts => ({
  courseId: "11",
  teacherId: "21",
  subjectIds: ["mathematics"],
  purchase: { kind: "lesson", slots },
  listAmount,
  newToTeacher,
});
const pack = (hours: number, listAmount: number): PurchaseFacts => ({
  ...lesson(2, listAmount),
  purchase: { kind: "package", hours },
});
const promo = (id: string, rule: PromotionOffer["rule"], more: Partial<PromotionOffer> = {}) =>
  ({
    id,
    title: `P${id}`,
    rule,
    scope: { kind: "all" },
    priority: 0,
    exclusive: false,
    ...more,
  }) as PromotionOffer;
const coupon = (id: string, rule: CouponOffer["rule"], more: Partial<CouponOffer> = {}) =>
  ({
    id,
    title: `C${id}`,
    rule,
    scope: { kind: "all" },
    minOrderAmount: 0,
    exclusive: false,
    ...more,
  }) as CouponOffer;

describe("bestPrice examples", () => {
  it("first-lesson price: only a single lesson, only for a student new to the teacher", () => {
    const first = promo("1", { kind: "first_lesson_price", price: 500 });
    expect(bestPrice(lesson(2, 3000), [first], []).payable).toBe(500);
    expect(bestPrice(lesson(2, 3000, false), [first], []).payable).toBe(3000);
    expect(bestPrice(pack(10, 30_000), [first], []).payable).toBe(30_000);
    // A first-lesson price above the list price takes nothing off (and is not reported).
    expect(bestPrice(lesson(1, 300), [first], []).discounts).toEqual([]);
  });

  it("package discount: from its threshold of hours upwards, never for single lessons", () => {
    const sixty = promo("1", { kind: "package_discount", minHours: 60, percentBps: 1000 });
    expect(bestPrice(pack(60, 180_000), [sixty], []).payable).toBe(162_000);
    expect(bestPrice(pack(80, 240_000), [sixty], []).payable).toBe(216_000);
    expect(bestPrice(pack(59, 177_000), [sixty], []).payable).toBe(177_000);
    expect(bestPrice(lesson(2, 3000), [sixty], []).payable).toBe(3000);
  });

  it("percent coupon: capped, and applied to the price after the promotion", () => {
    const capped = coupon("9", { kind: "percent_off", percentBps: 5000, cap: 1000 });
    expect(bestPrice(pack(10, 30_000), [], [capped]).payable).toBe(29_000);
    const tenOff = promo("1", { kind: "percent_off", percentBps: 1000 });
    const half = coupon("8", { kind: "percent_off", percentBps: 5000, cap: null });
    const q = bestPrice(pack(10, 30_000), [tenOff], [half]);
    expect(q.discounts.map((d) => [d.source, d.amount])).toEqual([
      ["promotion", 3000],
      ["coupon", 13_500],
    ]);
    expect(q.payable).toBe(13_500);
  });

  it("free trial: one single lesson of at most an hour, free; nothing else", () => {
    const trial = coupon("9", { kind: "free_trial" });
    expect(bestPrice(lesson(2, 3000), [], [trial]).payable).toBe(0);
    expect(bestPrice(lesson(3, 4500), [], [trial]).payable).toBe(4500);
    expect(bestPrice(pack(2, 6000), [], [trial]).payable).toBe(6000);
  });

  it("minimum order: measured on the list price, before any promotion", () => {
    const five = coupon("9", { kind: "amount_off", amountOff: 500 }, { minOrderAmount: 3000 });
    const tenOff = promo("1", { kind: "percent_off", percentBps: 1000 });
    expect(bestPrice(lesson(2, 2999), [], [five]).payable).toBe(2999);
    // 3000 list, 2700 after the promotion: the coupon still applies.
    expect(bestPrice(lesson(2, 3000), [tenOff], [five]).payable).toBe(2200);
  });

  it("scopes: course, teacher and subject must match the purchase", () => {
    const off = { kind: "amount_off", amountOff: 100 } as const;
    const facts = lesson(2, 3000);
    for (const [scope, fits] of [
      [{ kind: "courses", ids: ["11"] }, true],
      [{ kind: "courses", ids: ["12"] }, false],
      [{ kind: "teachers", ids: ["21"] }, true],
      [{ kind: "teachers", ids: ["22"] }, false],
      [{ kind: "subjects", ids: ["physics", "mathematics"] }, true],
      [{ kind: "subjects", ids: ["physics"] }, false],
    ] as [OfferScope, boolean][]) {
      expect(bestPrice(facts, [promo("1", off, { scope })], []).payable).toBe(fits ? 2900 : 3000);
      expect(bestPrice(facts, [], [coupon("9", off, { scope })]).payable).toBe(fits ? 2900 : 3000);
    }
  });

  it("exclusive: the better of the exclusive offer alone and the stackable pair", () => {
    const exclusive = promo("1", { kind: "amount_off", amountOff: 1000 }, { exclusive: true });
    const small = promo("2", { kind: "amount_off", amountOff: 300 });
    const c = coupon("9", { kind: "amount_off", amountOff: 500 });
    expect(priceWith(lesson(2, 3000), exclusive, c)).toBeNull();
    expect(bestPrice(lesson(2, 3000), [exclusive, small], [c]).payable).toBe(2000);
    const bigCoupon = coupon("8", { kind: "amount_off", amountOff: 900 });
    expect(bestPrice(lesson(2, 3000), [exclusive, small], [bigCoupon]).payable).toBe(1800);
  });

  it("ties: fewer offers, then the higher priority, then the smaller id", () => {
    const a = promo("7", { kind: "amount_off", amountOff: 500 }, { priority: 1 });
    const b = promo("3", { kind: "amount_off", amountOff: 500 }, { priority: 5 });
    expect(bestPrice(lesson(2, 3000), [a, b], []).promotionId).toBe("3");
    const c = promo("2", { kind: "amount_off", amountOff: 500 }, { priority: 5 });
    expect(bestPrice(lesson(2, 3000), [a, b, c], []).promotionId).toBe("2");
    // A coupon that adds nothing is not spent.
    const all = promo("1", { kind: "first_lesson_price", price: 0 });
    const wasted = coupon("9", { kind: "amount_off", amountOff: 100 });
    expect(bestPrice(lesson(2, 3000), [all], [wasted]).couponId).toBeNull();
  });
});
