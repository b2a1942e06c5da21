import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { LESSON_STATUSES } from "../../server/trade/lessonStateMachine";
import { ORDER_STATUSES } from "../../server/trade/orderStateMachine";
import { courses, courseVersions } from "./catalog";
import { createdAt, instant, snowflake } from "./columns";
import { teachers, users } from "./identity";

/** See server/trade/orderStateMachine.ts for the transitions between these. */
export const orderStatus = pgEnum("order_status", ORDER_STATUSES);

/**
 * A student's purchase of lesson time from one teacher's course (seed 000): often 60–100
 * hours used over a year. The id is issued before the student submits (trade.newOrderId), so
 * a resubmission finds the same row (seed 001). What was sold is copied in (seed 003): later
 * course edits never change it. Time is counted in half hours ("slots"): a 30-minute lesson
 * uses 1, an hour 2; the three counters only move together through server/trade services,
 * and the checks below hold even if that code is wrong.
 */
export const orders = pgTable(
  "orders",
  {
    id: snowflake().primaryKey(),
    studentId: uuid()
      .notNull()
      .references(() => users.id),
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id),
    courseId: snowflake()
      .notNull()
      .references(() => courses.id),
    courseVersionId: snowflake()
      .notNull()
      .references(() => courseVersions.id),
    // Snapshot of what was sold.
    courseTitle: text().notNull(),
    teacherName: text().notNull(),
    teacherTimeZone: text().notNull(),
    pricePerHour: integer().notNull(),
    currency: char({ length: 3 }).notNull(),
    /** Half hours bought; a single-lesson order buys exactly that lesson's length. */
    slotsBought: smallint().notNull(),
    /** Half hours of live (held or booked) lessons not yet taken place. */
    slotsBooked: smallint().notNull().default(0),
    /** Half hours consumed: completed, no-show or late-cancelled lessons. */
    slotsUsed: smallint().notNull().default(0),
    /** Integer minor units. payable = list − discount (discounts arrive with marketing). */
    listAmount: integer().notNull(),
    discountAmount: integer().notNull().default(0),
    payableAmount: integer().notNull(),
    /**
     * What the order was actually paid (its share of the payment after any payment-level
     * discount), set when it becomes paid. Lessons settle, and refunds return, out of it.
     */
    paidAmount: integer(),
    status: orderStatus().notNull().default("pending_payment"),
    version: integer().notNull().default(1),
    /** Until when an unpaid order holds its slots; after it, the order is as good as expired. */
    holdExpiresAt: instant().notNull(),
    paidAt: instant(),
    closedAt: instant(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    // Target of lessons' composite foreign key.
    unique("orders_id_parties_unique").on(t.id, t.teacherId, t.studentId),
    index().on(t.studentId, t.createdAt),
    index().on(t.teacherId, t.createdAt),
    // The sweep job's scan: unpaid orders by hold expiry.
    index("orders_pending_hold_idx")
      .on(t.holdExpiresAt)
      .where(sql`${t.status} = 'pending_payment'`),
    check("orders_slots_bought", sql`${t.slotsBought} BETWEEN 1 AND 200`),
    check(
      "orders_slots_counters",
      sql`${t.slotsBooked} >= 0 AND ${t.slotsUsed} >= 0 AND ${t.slotsBooked} + ${t.slotsUsed} <= ${t.slotsBought}`,
    ),
    check(
      "orders_amounts",
      sql`${t.listAmount} >= 0 AND ${t.discountAmount} BETWEEN 0 AND ${t.listAmount} AND ${t.payableAmount} = ${t.listAmount} - ${t.discountAmount}`,
    ),
    check("orders_price_positive", sql`${t.pricePerHour} > 0`),
    check(
      "orders_paid_amount",
      sql`${t.paidAmount} IS NULL OR ${t.paidAmount} BETWEEN 0 AND ${t.payableAmount}`,
    ),
  ],
);

/** See server/trade/lessonStateMachine.ts. `held` and `booked` are live: they own slots. */
export const lessonStatus = pgEnum("lesson_status", LESSON_STATUSES);

export const lessonParty = pgEnum("lesson_party", ["student", "teacher", "admin", "system"]);

/**
 * One booking of consecutive half hours against an order (a sub-order in seed 000); once
 * completed, the teacher's settlement voucher. Two exclusion constraints (migration 0004,
 * btree_gist) make overlapping live lessons of one teacher, or of one student, impossible
 * whatever the code does; the teacher-day bits are the fast check in front of them.
 */
export const lessons = pgTable(
  "lessons",
  {
    id: snowflake().primaryKey(),
    // One composite foreign key (below) ties the lesson to its order's teacher and student.
    orderId: snowflake().notNull(),
    teacherId: snowflake().notNull(),
    studentId: uuid().notNull(),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
    slots: smallint().notNull(),
    status: lessonStatus().notNull(),
    version: integer().notNull().default(1),
    /** Whether a cancellation gave the hours back to the order (false: forfeited). */
    hoursReturned: boolean(),
    cancelledBy: lessonParty(),
    cancelReason: text(),
    cancelledAt: instant(),
    /** Who closed a past lesson (teacher, or system after the dispute window). */
    completedBy: lessonParty(),
    completedAt: instant(),
    rescheduleCount: smallint().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [
    // A lesson's teacher and student are its order's: one check on insert instead of three,
    // and a lesson can never name someone else's order.
    foreignKey({
      name: "lessons_order_parties_fk",
      columns: [t.orderId, t.teacherId, t.studentId],
      foreignColumns: [orders.id, orders.teacherId, orders.studentId],
    }),
    index().on(t.orderId),
    index().on(t.teacherId, t.startsAt),
    index().on(t.studentId, t.startsAt),
    // The sweep job's scan for lessons to complete automatically.
    index("lessons_booked_end_idx").on(t.endsAt).where(sql`${t.status} = 'booked'`),
    check("lessons_length", sql`${t.slots} BETWEEN 1 AND 4`),
    check("lessons_end", sql`${t.endsAt} = ${t.startsAt} + make_interval(mins => ${t.slots} * 30)`),
    check("lessons_aligned", sql`extract(epoch from ${t.startsAt})::bigint % 1800 = 0`),
  ],
);

/**
 * A personal iCalendar feed: the token is the whole credential (a secret URL, like Google's
 * "secret address"), read-only, and revoked by deleting or replacing the row.
 */
export const calendarFeeds = pgTable("calendar_feeds", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  token: text().notNull().unique(),
  createdAt: createdAt(),
});
