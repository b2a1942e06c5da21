import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { COUPON_STATUSES } from "../../server/marketing/couponStateMachine";
import {
  COUPON_KINDS,
  OFFER_FUNDERS,
  OFFER_SCOPE_KINDS,
  OFFER_STATUSES,
  PROMOTION_KINDS,
  PROMOTION_USE_STATUSES,
} from "../../server/marketing/offerRules";
import { createdAt, instant, snowflake } from "./columns";
import { teachers, users } from "./identity";
import { orders } from "./trade";

export const offerFunder = pgEnum("offer_funder", OFFER_FUNDERS);
export const offerScopeKind = pgEnum("offer_scope_kind", OFFER_SCOPE_KINDS);
export const offerStatus = pgEnum("offer_status", OFFER_STATUSES);
export const couponKind = pgEnum("coupon_kind", COUPON_KINDS);
export const couponStatus = pgEnum("coupon_status", COUPON_STATUSES);
export const promotionKind = pgEnum("promotion_kind", PROMOTION_KINDS);
export const promotionUseStatus = pgEnum("promotion_use_status", PROMOTION_USE_STATUSES);

/**
 * A coupon batch (seed 002): a budgeted campaign coupons are issued from. Platform-funded
 * batches are created by admins; teacher-funded ones by a teacher, scoped to their own
 * courses. The budget is enforced on issue, in the batch row's `UPDATE … WHERE issued < budget`
 * (Postgres is the record; a Redis counter only answers "sold out" early): a count, and/or
 * money, where each issued coupon reserves its largest possible discount (amount off, or the
 * cap of a percentage), so redemptions can never add up to more than the budget.
 */
export const couponBatches = pgTable(
  "coupon_batches",
  {
    id: snowflake().primaryKey(),
    title: text().notNull(),
    description: text().notNull().default(""),
    funder: offerFunder().notNull(),
    /** The teacher paying for it (teacher-funded), whose courses it is limited to. */
    teacherId: snowflake().references(() => teachers.id),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    kind: couponKind().notNull(),
    amountOff: integer(),
    percentBps: integer(),
    /** Largest discount of a percentage coupon, minor units; null: none. */
    cap: integer(),
    currency: char({ length: 3 }).notNull(),
    scopeKind: offerScopeKind().notNull().default("all"),
    /** Subject, teacher or course ids the scope names (empty for `all`). */
    scopeIds: text().array().notNull().default(sql`'{}'::text[]`),
    minOrderAmount: integer().notNull().default(0),
    /** A fixed validity window… */
    validFrom: instant(),
    validUntil: instant(),
    /** …or valid for this many days after it is claimed. */
    validDaysAfterClaim: integer(),
    /** Claims close at this instant (null: while active and valid). */
    claimUntil: instant(),
    budgetCount: integer(),
    budgetAmount: integer(),
    issuedCount: integer().notNull().default(0),
    /** Sum of the largest discounts of the coupons issued (held against budgetAmount). */
    issuedAmount: integer().notNull().default(0),
    usedCount: integer().notNull().default(0),
    discountGiven: integer().notNull().default(0),
    perUserLimit: integer().notNull().default(1),
    /** Exclusive: never combined with a promotion. */
    exclusive: boolean().notNull().default(false),
    /** Anyone may claim it from its campaign page (or by its claim code). */
    public: boolean().notNull().default(true),
    /** A code students type to claim (e.g. SPRING26); unique. */
    claimCode: text().unique(),
    status: offerStatus().notNull().default("active"),
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    index().on(t.teacherId),
    index().on(t.status, t.createdAt),
    check("coupon_batches_funder", sql`(${t.funder} = 'teacher') = (${t.teacherId} IS NOT NULL)`),
    check(
      "coupon_batches_rule",
      sql`CASE ${t.kind}
        WHEN 'amount_off' THEN ${t.amountOff} > 0 AND ${t.percentBps} IS NULL
        WHEN 'percent_off' THEN ${t.percentBps} BETWEEN 1 AND 10000 AND ${t.amountOff} IS NULL AND (${t.cap} IS NULL OR ${t.cap} > 0)
        ELSE ${t.amountOff} IS NULL AND ${t.percentBps} IS NULL END`,
    ),
    check(
      "coupon_batches_validity",
      sql`(${t.validDaysAfterClaim} IS NULL) <> (${t.validUntil} IS NULL) AND (${t.validDaysAfterClaim} IS NULL OR ${t.validDaysAfterClaim} BETWEEN 1 AND 3660) AND (${t.validFrom} IS NULL OR ${t.validUntil} IS NULL OR ${t.validFrom} < ${t.validUntil})`,
    ),
    check(
      "coupon_batches_budget",
      sql`(${t.budgetCount} IS NULL OR ${t.issuedCount} <= ${t.budgetCount}) AND (${t.budgetAmount} IS NULL OR ${t.issuedAmount} <= ${t.budgetAmount}) AND ${t.issuedCount} >= 0 AND ${t.issuedAmount} >= 0 AND ${t.usedCount} BETWEEN 0 AND ${t.issuedCount} AND ${t.discountGiven} >= 0`,
    ),
    check("coupon_batches_limits", sql`${t.perUserLimit} >= 1 AND ${t.minOrderAmount} >= 0`),
  ],
);

/**
 * One coupon. Its code is its 64-bit id passed through a keyed permutation and written in a
 * readable alphabet (server/marketing/couponCode.ts): unique because the ids are, unguessable
 * without the key. A coupon granted to a phone number with no account waits (`pending`,
 * owner_phone) and moves to the account that verifies that number. `claim_key` makes a claim
 * idempotent: the same request key returns the same coupon.
 */
export const coupons = pgTable(
  "coupons",
  {
    id: snowflake().primaryKey(),
    code: text().notNull().unique(),
    batchId: snowflake()
      .notNull()
      .references(() => couponBatches.id),
    ownerUserId: uuid().references(() => users.id),
    /** E.164 phone number of a grant that waits for its account. */
    ownerPhone: text(),
    claimKey: text().notNull(),
    status: couponStatus().notNull(),
    validFrom: instant().notNull(),
    validUntil: instant().notNull(),
    /** The order it is locked to, or was used by. */
    orderId: snowflake().references(() => orders.id),
    lockedAt: instant(),
    usedAt: instant(),
    /** What it took off the order, minor units. */
    discountAmount: integer(),
    version: integer().notNull().default(1),
    claimedAt: createdAt(),
  },
  (t) => [
    unique("coupons_batch_claim_key_unique").on(t.batchId, t.claimKey),
    index().on(t.ownerUserId, t.status),
    index("coupons_pending_phone_idx").on(t.ownerPhone).where(sql`${t.ownerUserId} IS NULL`),
    index().on(t.batchId, t.ownerUserId),
    uniqueIndex("coupons_one_live_per_order")
      .on(t.orderId)
      .where(sql`${t.status} IN ('locked', 'used')`),
    check("coupons_owner", sql`${t.ownerUserId} IS NOT NULL OR ${t.ownerPhone} IS NOT NULL`),
    check("coupons_pending", sql`(${t.status} = 'pending') = (${t.ownerUserId} IS NULL)`),
    check("coupons_order", sql`(${t.status} IN ('locked', 'used')) = (${t.orderId} IS NOT NULL)`),
    check("coupons_validity", sql`${t.validFrom} < ${t.validUntil}`),
  ],
);

/**
 * The risk rule (seed 002: at most 3 coupons used per person per day): one row per student
 * and UTC day, incremented in the transaction that locks a coupon to an order, as
 * `UPDATE … SET used = used + 1 WHERE used < <limit>`; a released coupon gives its use back.
 */
export const couponDailyUses = pgTable(
  "coupon_daily_uses",
  {
    studentId: uuid()
      .notNull()
      .references(() => users.id),
    day: date({ mode: "string" }).notNull(),
    used: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.studentId, t.day] }),
    check("coupon_daily_uses_used", sql`${t.used} >= 0`),
  ],
);

/**
 * A promotion (seed 004's activity): a time-boxed discount on subjects, teachers or courses,
 * with an optional stock (number of orders) reserved when an order is placed and given back
 * when it expires, and an optional per-student limit.
 */
export const promotions = pgTable(
  "promotions",
  {
    id: snowflake().primaryKey(),
    title: text().notNull(),
    description: text().notNull().default(""),
    funder: offerFunder().notNull(),
    teacherId: snowflake().references(() => teachers.id),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    kind: promotionKind().notNull(),
    percentBps: integer(),
    amountOff: integer(),
    /** first_lesson_price: what a new student's single lesson costs at most. */
    price: integer(),
    /** package_discount: packages of at least this many hours. */
    minHours: integer(),
    currency: char({ length: 3 }).notNull(),
    scopeKind: offerScopeKind().notNull(),
    scopeIds: text().array().notNull().default(sql`'{}'::text[]`),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
    stockTotal: integer(),
    /** Orders holding or having used the promotion. */
    stockUsed: integer().notNull().default(0),
    perUserLimit: integer(),
    priority: integer().notNull().default(0),
    exclusive: boolean().notNull().default(false),
    status: offerStatus().notNull().default("active"),
    version: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    index().on(t.teacherId),
    index().on(t.status, t.endsAt),
    check("promotions_funder", sql`(${t.funder} = 'teacher') = (${t.teacherId} IS NOT NULL)`),
    check(
      "promotions_rule",
      sql`CASE ${t.kind}
        WHEN 'percent_off' THEN ${t.percentBps} BETWEEN 1 AND 10000
        WHEN 'amount_off' THEN ${t.amountOff} > 0
        WHEN 'first_lesson_price' THEN ${t.price} >= 0
        ELSE ${t.percentBps} BETWEEN 1 AND 10000 AND ${t.minHours} >= 1 END`,
    ),
    check("promotions_window", sql`${t.startsAt} < ${t.endsAt}`),
    check(
      "promotions_stock",
      sql`${t.stockUsed} >= 0 AND (${t.stockTotal} IS NULL OR ${t.stockUsed} <= ${t.stockTotal}) AND (${t.perUserLimit} IS NULL OR ${t.perUserLimit} >= 1)`,
    ),
  ],
);

/**
 * The inverted index of promotions (seed 004): one row per (target, promotion), where the
 * target is a subject, teacher or course id, or `all`/''. "Which promotions apply to this
 * course?" is one index range per key of the course (itself, its teacher, its subjects, all),
 * filtered by the window copied here — so an expired promotion drops out of the answer by
 * itself, without a cron. Rewritten with its promotion, in the same transaction.
 */
export const promotionTargets = pgTable(
  "promotion_targets",
  {
    targetKind: offerScopeKind().notNull(),
    targetId: text().notNull(),
    promotionId: snowflake()
      .notNull()
      .references(() => promotions.id, { onDelete: "cascade" }),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.targetKind, t.targetId, t.promotionId] }),
    index("promotion_targets_lookup_idx").on(t.targetKind, t.targetId, t.endsAt),
    index().on(t.promotionId),
  ],
);

/** A promotion's use by one order: stock reserved at order, consumed when paid, or released. */
export const promotionUses = pgTable(
  "promotion_uses",
  {
    promotionId: snowflake()
      .notNull()
      .references(() => promotions.id),
    orderId: snowflake()
      .notNull()
      .references(() => orders.id),
    studentId: uuid()
      .notNull()
      .references(() => users.id),
    status: promotionUseStatus().notNull().default("reserved"),
    discountAmount: integer().notNull(),
    createdAt: createdAt(),
    closedAt: instant(),
  },
  (t) => [
    primaryKey({ columns: [t.promotionId, t.orderId] }),
    index().on(t.promotionId, t.studentId),
    index().on(t.orderId),
    check("promotion_uses_discount", sql`${t.discountAmount} >= 0`),
  ],
);

/** The itemised discounts of an order, as priced at checkout (shown on checkout and the order). */
export const orderDiscounts = pgTable(
  "order_discounts",
  {
    orderId: snowflake()
      .notNull()
      .references(() => orders.id),
    source: text({ enum: ["promotion", "coupon"] }).notNull(),
    /** The promotion's or the coupon's id. */
    offerId: snowflake().notNull(),
    title: text().notNull(),
    amount: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.source] }),
    check("order_discounts_amount", sql`${t.amount} > 0`),
  ],
);
