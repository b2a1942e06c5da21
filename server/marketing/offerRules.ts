/** Vocabulary shared by coupon batches and promotions (issue 7). */
export const OFFER_FUNDERS = ["platform", "teacher"] as const;
export type OfferFunder = (typeof OFFER_FUNDERS)[number];

export const OFFER_SCOPE_KINDS = ["all", "subjects", "teachers", "courses"] as const;
export type OfferScopeKind = (typeof OFFER_SCOPE_KINDS)[number];

/** active: in force; paused: temporarily off (no claims, no new uses); retired: over for good. */
export const OFFER_STATUSES = ["active", "paused", "retired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const COUPON_KINDS = ["amount_off", "percent_off", "free_trial"] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

export const PROMOTION_KINDS = [
  "percent_off",
  "amount_off",
  "first_lesson_price",
  "package_discount",
] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

/** How a reservation of promotion stock ended: consumed by a paid order, or given back. */
export const PROMOTION_USE_STATUSES = ["reserved", "consumed", "released"] as const;
export type PromotionUseStatus = (typeof PROMOTION_USE_STATUSES)[number];
