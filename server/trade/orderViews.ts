import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { lessons, orderDiscounts, orders, reviews, users } from "../../db/schema";
import type { OrderRow } from "./orderRecords";
import type { OrderStatus } from "./orderStateMachine";
import { orderOf } from "./tradeAccess";

/**
 * The status a person should see: an unpaid order whose hold lapsed is expired, whether or
 * not the sweep job has written that yet (reads never wait for it).
 */
export function effectiveOrderStatus(
  order: Pick<OrderRow, "status" | "holdExpiresAt">,
  now: Date,
): OrderStatus {
  return order.status === "pending_payment" && order.holdExpiresAt.getTime() <= now.getTime()
    ? "expired"
    : order.status;
}

const orderSummaryColumns = {
  id: orders.id,
  studentId: orders.studentId,
  teacherId: orders.teacherId,
  courseId: orders.courseId,
  courseTitle: orders.courseTitle,
  teacherName: orders.teacherName,
  teacherTimeZone: orders.teacherTimeZone,
  pricePerHour: orders.pricePerHour,
  currency: orders.currency,
  slotsBought: orders.slotsBought,
  slotsBooked: orders.slotsBooked,
  slotsUsed: orders.slotsUsed,
  listAmount: orders.listAmount,
  discountAmount: orders.discountAmount,
  payableAmount: orders.payableAmount,
  status: orders.status,
  holdExpiresAt: orders.holdExpiresAt,
  paidAt: orders.paidAt,
  createdAt: orders.createdAt,
};

type OrderSummaryRow = { [K in keyof typeof orderSummaryColumns]: OrderRow[K] };

function present(row: OrderSummaryRow, now: Date) {
  return {
    ...row,
    status: effectiveOrderStatus(row, now),
    slotsLeft: row.slotsBought - row.slotsBooked - row.slotsUsed,
  };
}

export type OrderSummary = ReturnType<typeof present>;

/** A student's orders, newest first (hours left, status as it stands now). */
export async function listStudentOrders(db: Executor, studentId: string, now: Date) {
  const rows = await db
    .select(orderSummaryColumns)
    .from(orders)
    .where(eq(orders.studentId, studentId))
    .orderBy(desc(orders.createdAt))
    .limit(200);
  return rows.map((row) => present(row, now));
}

/**
 * A teacher's students' orders that were paid (unpaid checkouts are the student's business),
 * with the student's name, newest first.
 */
export async function listTeacherOrders(db: Executor, teacherId: string, now: Date) {
  const rows = await db
    .select({ ...orderSummaryColumns, studentName: users.name })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.studentId))
    .where(
      and(
        eq(orders.teacherId, teacherId),
        inArray(orders.status, [
          "paid",
          "active",
          "completed",
          "refund_requested",
          "refunded",
          "partially_refunded",
        ]),
      ),
    )
    .orderBy(desc(orders.createdAt))
    .limit(200);
  return rows.map(({ studentName, ...row }) => ({
    ...present(row, now),
    studentName: studentName ?? "A student",
  }));
}

/** One order with every lesson booked against it, for its student or its teacher. */
export async function getOrderDetail(
  db: Executor,
  viewer: { studentId: string } | { teacherId: string },
  orderId: string,
  now: Date,
) {
  const [row] = await db
    .select({ ...orderSummaryColumns, studentName: users.name })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.studentId))
    .where(eq(orders.id, orderId))
    .limit(1);
  const order = orderOf(row, viewer);
  const history = await db
    .select({
      id: lessons.id,
      startsAt: lessons.startsAt,
      endsAt: lessons.endsAt,
      slots: lessons.slots,
      status: lessons.status,
      hoursReturned: lessons.hoursReturned,
      cancelledBy: lessons.cancelledBy,
      cancelReason: lessons.cancelReason,
      completedBy: lessons.completedBy,
      reviewed: sql<boolean>`${reviews.id} is not null`,
    })
    .from(lessons)
    .leftJoin(reviews, eq(reviews.lessonId, lessons.id))
    .where(and(eq(lessons.orderId, orderId), ne(lessons.status, "expired")))
    .orderBy(asc(lessons.startsAt));
  // The discount lines as priced at checkout (marketing writes them with the order).
  const discounts = await db
    .select({
      source: orderDiscounts.source,
      title: orderDiscounts.title,
      amount: orderDiscounts.amount,
    })
    .from(orderDiscounts)
    .where(eq(orderDiscounts.orderId, orderId))
    .orderBy(desc(orderDiscounts.source));
  const { studentName, ...summary } = order;
  return {
    ...present(summary, now),
    studentName: studentName ?? "A student",
    discounts,
    lessons: history,
  };
}
