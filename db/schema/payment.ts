import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
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
import { PAYMENT_STATUSES } from "../../server/payment/paymentStateMachine";
import { REFUND_STATUSES } from "../../server/payment/refundStateMachine";
import { createdAt, instant, snowflake } from "./columns";
import { users } from "./identity";
import { lessonParty, orders } from "./trade";

/** See server/payment/paymentStateMachine.ts for the transitions between these. */
export const paymentStatus = pgEnum("payment_status", PAYMENT_STATUSES);
export const paymentMethod = pgEnum("payment_method", ["wallet", "gateway", "mixed"]);
/** What the money is for: trade orders (combined checkout) or the payer's own wallet. */
export const paymentPurpose = pgEnum("payment_purpose", ["orders", "top_up"]);
/** What became of one order a payment paid: paid, or its money went back to the wallet. */
export const paymentItemOutcome = pgEnum("payment_item_outcome", [
  "pending",
  "paid",
  "refunded_to_wallet",
]);
export const gatewayCallbackOutcome = pgEnum("gateway_callback_outcome", [
  "applied",
  "duplicate",
  "rejected",
  "ignored",
  "failed",
]);

/**
 * A payment order (seed 003): how money is collected, apart from the trade orders it pays.
 * The id is a snowflake issued by the server; (payer, idempotency key) finds a resubmitted
 * payment. Amounts are integer minor units and always add up (checks below). The wallet part
 * of a mixed payment is taken when the gateway part succeeds, in the same transaction
 * (server/payment/applyGatewayEvent.ts).
 */
export const payments = pgTable(
  "payments",
  {
    id: snowflake().primaryKey(),
    payerId: uuid()
      .notNull()
      .references(() => users.id),
    purpose: paymentPurpose().notNull(),
    currency: char({ length: 3 }).notNull(),
    itemsTotal: integer().notNull(),
    discount: integer().notNull().default(0),
    amount: integer().notNull(),
    fromWallet: integer().notNull(),
    fromGateway: integer().notNull(),
    method: paymentMethod().notNull(),
    status: paymentStatus().notNull().default("created"),
    version: integer().notNull().default(1),
    /** Null for a wallet-only payment. */
    gateway: text(),
    /** The gateway's checkout id (Stripe: the Checkout Session). */
    gatewayReference: text(),
    /** Where the payer completes the checkout. */
    checkoutUrl: text(),
    /** The gateway's transaction id, set on success. */
    gatewayTransactionId: text(),
    idempotencyKey: text().notNull(),
    expiresAt: instant(),
    succeededAt: instant(),
    refundedAmount: integer().notNull().default(0),
    failureReason: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    unique("payments_payer_idempotency_unique").on(t.payerId, t.idempotencyKey),
    index().on(t.payerId, t.createdAt),
    // The expiry sweep's scan: open checkouts by expiry.
    index("payments_open_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} IN ('created', 'pending')`),
    check(
      "payments_amounts",
      sql`${t.itemsTotal} >= 0 AND ${t.discount} >= 0 AND ${t.amount} >= 0 AND ${t.fromWallet} >= 0 AND ${t.fromGateway} >= 0 AND ${t.amount} = ${t.itemsTotal} - ${t.discount} AND ${t.fromWallet} + ${t.fromGateway} = ${t.amount}`,
    ),
    check("payments_refunded", sql`${t.refundedAmount} BETWEEN 0 AND ${t.amount}`),
    check("payments_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("payments_gateway", sql`(${t.fromGateway} = 0) = (${t.gateway} IS NULL)`),
  ],
);

/** The trade orders one payment pays, with what each asks for and what became of it. */
export const paymentItems = pgTable(
  "payment_items",
  {
    paymentId: snowflake()
      .notNull()
      .references(() => payments.id),
    orderId: snowflake()
      .notNull()
      .references(() => orders.id),
    amount: integer().notNull(),
    outcome: paymentItemOutcome().notNull().default("pending"),
    /** Why the money went back to the wallet, in words the student reads. */
    note: text(),
  },
  (t) => [
    primaryKey({ columns: [t.paymentId, t.orderId] }),
    index().on(t.orderId),
    check("payment_items_amount", sql`${t.amount} >= 0`),
  ],
);

/**
 * Every callback that reached a gateway's webhook, as it arrived (rejected ones too), with
 * what we made of it: the audit trail reconciliation compares payments against.
 */
export const gatewayCallbacks = pgTable(
  "gateway_callbacks",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    gateway: text().notNull(),
    transactionId: text(),
    /** The payment it is about, when that payment exists. */
    paymentId: snowflake().references(() => payments.id),
    rawBody: text().notNull(),
    signature: text(),
    receivedAt: createdAt(),
    outcome: gatewayCallbackOutcome().notNull(),
    reason: text(),
  },
  (t) => [index().on(t.paymentId), index().on(t.gateway, t.transactionId)],
);

/**
 * The at-most-once key of a successful gateway payment: a (gateway, transaction id) is
 * applied once, and a payment succeeds once.
 */
export const paymentApplications = pgTable(
  "payment_applications",
  {
    gateway: text().notNull(),
    transactionId: text().notNull(),
    paymentId: snowflake()
      .notNull()
      .unique("payment_applications_payment_unique")
      .references(() => payments.id),
    appliedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.gateway, t.transactionId] })],
);

/** See server/payment/refundStateMachine.ts. */
export const refundStatus = pgEnum("refund_status", REFUND_STATUSES);

/**
 * Unused hours of one paid order going back to the student (issue 6, item 7). The amount is
 * what the order's unused half hours are worth (server/settlement/lessonValue.ts), split over
 * the methods that paid: the gateway part back through the provider (its refund call, keyed
 * by this id), the rest to the wallet at once. At most one open refund per order; an order
 * refunds once (refunded and partially refunded are final order states).
 */
export const refunds = pgTable(
  "refunds",
  {
    id: snowflake().primaryKey(),
    orderId: snowflake()
      .notNull()
      .references(() => orders.id),
    paymentId: snowflake()
      .notNull()
      .references(() => payments.id),
    studentId: uuid()
      .notNull()
      .references(() => users.id),
    currency: char({ length: 3 }).notNull(),
    /** Half hours given back. */
    slots: integer().notNull(),
    amount: integer().notNull(),
    toWallet: integer().notNull(),
    toGateway: integer().notNull(),
    status: refundStatus().notNull().default("requested"),
    version: integer().notNull().default(1),
    requestedBy: lessonParty().notNull(),
    /** Why the refund was asked for (student) or given (teacher, admin). */
    reason: text(),
    decidedBy: uuid().references(() => users.id),
    declineReason: text(),
    /** The gateway's refund id, once the provider accepted the refund call. */
    gatewayReference: text(),
    /** The last error from the provider's refund call; the sweep retries. */
    lastError: text(),
    attempts: integer().notNull().default(0),
    createdAt: createdAt(),
    decidedAt: instant(),
    completedAt: instant(),
  },
  (t) => [
    index().on(t.orderId),
    index().on(t.paymentId),
    index().on(t.studentId, t.createdAt),
    index("refunds_open_idx")
      .on(t.status, t.createdAt)
      .where(sql`${t.status} IN ('requested', 'processing')`),
    uniqueIndex("refunds_one_live_per_order").on(t.orderId).where(sql`${t.status} <> 'declined'`),
    check(
      "refunds_amounts",
      sql`${t.slots} > 0 AND ${t.amount} >= 0 AND ${t.toWallet} >= 0 AND ${t.toGateway} >= 0 AND ${t.toWallet} + ${t.toGateway} = ${t.amount}`,
    ),
  ],
);
