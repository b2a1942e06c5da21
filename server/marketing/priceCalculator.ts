/**
 * The price calculator (issue 7, seed 004's filter → price → output), pure: given what is
 * being bought, the promotions that apply to it and the student's usable coupons, it returns
 * the best final price with an itemised breakdown. No I/O; deterministic.
 *
 * Rules:
 * - An order takes at most one promotion and at most one coupon. The coupon applies to the
 *   price after the promotion. An exclusive offer (either kind) is used alone.
 * - Each offer must fit the purchase: its scope (all, subjects, teachers, courses), and its
 *   own conditions (a package discount needs at least its hours; a first-lesson price needs a
 *   single lesson by a student new to the teacher; a coupon needs its minimum order amount,
 *   measured before any discount; a free trial covers one single lesson of at most an hour).
 * - Discounts never exceed what is left to pay; the payable amount is never negative.
 * - The best price is the lowest payable amount among every valid combination. Ties go to the
 *   combination that uses fewer offers (a coupon is not spent for nothing), then to the higher
 *   promotion priority, then to the smaller ids — so the answer never depends on input order.
 */

export type OfferScope =
  | { kind: "all" }
  | { kind: "subjects" | "teachers" | "courses"; ids: readonly string[] };

export interface PurchaseFacts {
  courseId: string;
  teacherId: string;
  subjectIds: readonly string[];
  /** What is bought: one lesson of `slots` half hours, or a package of `hours` hours. */
  purchase: { kind: "lesson"; slots: number } | { kind: "package"; hours: number };
  /** Price before any discount, integer minor units. */
  listAmount: number;
  /** True when the student has never bought from this teacher. */
  newToTeacher: boolean;
}

export type PromotionRule =
  | { kind: "percent_off"; percentBps: number }
  | { kind: "amount_off"; amountOff: number }
  /** A single lesson for a new student costs at most this much. */
  | { kind: "first_lesson_price"; price: number }
  /** Packages of at least `minHours` hours get `percentBps` off. */
  | { kind: "package_discount"; minHours: number; percentBps: number };

export interface PromotionOffer {
  id: string;
  title: string;
  rule: PromotionRule;
  scope: OfferScope;
  /** Higher wins a tie. */
  priority: number;
  exclusive: boolean;
}

export type CouponRule =
  | { kind: "amount_off"; amountOff: number }
  /** `percentBps` off, at most `cap` minor units (null: no cap). */
  | { kind: "percent_off"; percentBps: number; cap: number | null }
  /** One single lesson of at most an hour, free. */
  | { kind: "free_trial" };

export interface CouponOffer {
  /** The coupon's id (not its batch's). */
  id: string;
  title: string;
  rule: CouponRule;
  scope: OfferScope;
  /** Minimum list amount of the order, minor units. */
  minOrderAmount: number;
  exclusive: boolean;
}

export interface DiscountLine {
  source: "promotion" | "coupon";
  id: string;
  title: string;
  /** Minor units taken off (positive). */
  amount: number;
}

export interface PriceQuote {
  listAmount: number;
  discounts: DiscountLine[];
  discountTotal: number;
  payable: number;
  promotionId: string | null;
  couponId: string | null;
}

export function scopeFits(scope: OfferScope, facts: PurchaseFacts): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "courses":
      return scope.ids.includes(facts.courseId);
    case "teachers":
      return scope.ids.includes(facts.teacherId);
    case "subjects":
      return facts.subjectIds.some((id) => scope.ids.includes(id));
  }
}

const percentOf = (amount: number, bps: number) => Math.floor((amount * bps) / 10_000);

/** What a promotion takes off `amount` for this purchase; null when it does not apply. */
export function promotionDiscount(
  offer: PromotionOffer,
  facts: PurchaseFacts,
  amount: number,
): number | null {
  if (!scopeFits(offer.scope, facts)) return null;
  const { rule } = offer;
  let off: number;
  switch (rule.kind) {
    case "percent_off":
      off = percentOf(amount, rule.percentBps);
      break;
    case "amount_off":
      off = rule.amountOff;
      break;
    case "first_lesson_price":
      if (facts.purchase.kind !== "lesson" || !facts.newToTeacher) return null;
      off = amount - Math.min(amount, rule.price);
      break;
    case "package_discount":
      if (facts.purchase.kind !== "package" || facts.purchase.hours < rule.minHours) return null;
      off = percentOf(amount, rule.percentBps);
      break;
  }
  return Math.max(0, Math.min(off, amount));
}

/** What a coupon takes off `amount` (the price after any promotion); null when it does not apply. */
export function couponDiscount(
  offer: CouponOffer,
  facts: PurchaseFacts,
  amount: number,
): number | null {
  if (!scopeFits(offer.scope, facts)) return null;
  if (facts.listAmount < offer.minOrderAmount) return null;
  const { rule } = offer;
  let off: number;
  switch (rule.kind) {
    case "amount_off":
      off = rule.amountOff;
      break;
    case "percent_off": {
      const raw = percentOf(amount, rule.percentBps);
      off = rule.cap === null ? raw : Math.min(raw, rule.cap);
      break;
    }
    case "free_trial":
      if (facts.purchase.kind !== "lesson" || facts.purchase.slots > 2) return null;
      off = amount;
      break;
  }
  return Math.max(0, Math.min(off, amount));
}

/**
 * The price with exactly these offers (at most one promotion, then at most one coupon), or
 * null when the combination is not allowed or an offer does not apply.
 */
export function priceWith(
  facts: PurchaseFacts,
  promotion: PromotionOffer | null,
  coupon: CouponOffer | null,
): PriceQuote | null {
  if (promotion && coupon && (promotion.exclusive || coupon.exclusive)) return null;
  let amount = facts.listAmount;
  const discounts: DiscountLine[] = [];
  if (promotion) {
    const off = promotionDiscount(promotion, facts, amount);
    if (off === null) return null;
    amount -= off;
    discounts.push({ source: "promotion", id: promotion.id, title: promotion.title, amount: off });
  }
  if (coupon) {
    const off = couponDiscount(coupon, facts, amount);
    if (off === null) return null;
    amount -= off;
    discounts.push({ source: "coupon", id: coupon.id, title: coupon.title, amount: off });
  }
  return {
    listAmount: facts.listAmount,
    discounts,
    discountTotal: facts.listAmount - amount,
    payable: amount,
    promotionId: promotion?.id ?? null,
    couponId: coupon?.id ?? null,
  };
}

const offersUsed = (q: PriceQuote) => (q.promotionId ? 1 : 0) + (q.couponId ? 1 : 0);
const idOrder = (a: string | null, b: string | null) =>
  (a ?? "").length - (b ?? "").length || (a ?? "").localeCompare(b ?? "");

/** Whether quote `a` is better than `b` (see the tie rules above). */
export function betterQuote(
  a: PriceQuote,
  b: PriceQuote,
  priorityOf: (promotionId: string) => number,
): boolean {
  if (a.payable !== b.payable) return a.payable < b.payable;
  if (offersUsed(a) !== offersUsed(b)) return offersUsed(a) < offersUsed(b);
  const pa = a.promotionId ? priorityOf(a.promotionId) : Number.NEGATIVE_INFINITY;
  const pb = b.promotionId ? priorityOf(b.promotionId) : Number.NEGATIVE_INFINITY;
  if (pa !== pb) return pa > pb;
  const byPromotion = idOrder(a.promotionId, b.promotionId);
  if (byPromotion !== 0) return byPromotion < 0;
  return idOrder(a.couponId, b.couponId) < 0;
}

/**
 * The best price for a purchase among every valid combination of the candidate promotions and
 * coupons (none, one promotion, one coupon, or one of each when neither is exclusive). Only
 * (P + 1) × (C + 1) combinations exist, so they are all priced.
 */
export function bestPrice(
  facts: PurchaseFacts,
  promotions: readonly PromotionOffer[],
  coupons: readonly CouponOffer[],
): PriceQuote {
  const priority = new Map(promotions.map((p) => [p.id, p.priority]));
  const priorityOf = (id: string) => priority.get(id) ?? 0;
  let best = priceWith(facts, null, null)!;
  for (const promotion of [null, ...promotions]) {
    for (const coupon of [null, ...coupons]) {
      const quote = priceWith(facts, promotion, coupon);
      if (quote && betterQuote(quote, best, priorityOf)) best = quote;
    }
  }
  return best;
}
