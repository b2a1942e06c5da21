import { and, eq } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { lessons } from "../../db/schema";
import { DomainError } from "../domainError";
import { releaseOrderOffers } from "../marketing/orderOfferLifecycle";
import { releaseLessonSlots, updateLesson } from "./lessonRecords";
import { lockOrder, updateOrder } from "./orderRecords";
import { describeOrderStatus } from "./orderStateMachine";
import { lockOrderOf } from "./tradeAccess";
import { tradeTransaction } from "./tradeTransaction";

/**
 * Ends an unpaid order: `expire` once its hold has lapsed (a booking that needs the time, or
 * the sweep job), `cancel` when the student gives up at checkout. Its held lessons end and
 * their slots go back on sale, in the caller's transaction. Returns false, changing nothing,
 * when the order is no longer unpaid (paid meanwhile, or already closed by someone else) or,
 * for `expire`, when its hold is still running.
 */
export async function closeUnpaidOrder(
  tx: Transaction,
  orderId: string,
  event: "expire" | "cancel",
  now: Date,
): Promise<boolean> {
  const order = await lockOrder(tx, orderId);
  if (order?.status !== "pending_payment") return false;
  if (event === "expire" && order.holdExpiresAt.getTime() > now.getTime()) return false;
  const held = await tx
    .select()
    .from(lessons)
    .where(and(eq(lessons.orderId, orderId), eq(lessons.status, "held")))
    .orderBy(lessons.startsAt)
    .for("update");
  let slots = 0;
  for (const lesson of held) {
    await updateLesson(
      tx,
      lesson,
      event,
      event === "cancel"
        ? {
            cancelledBy: "student",
            cancelledAt: now,
            hoursReturned: true,
            cancelReason: "Order cancelled before payment",
          }
        : {},
    );
    await releaseLessonSlots(tx, lesson);
    slots += lesson.slots;
  }
  await updateOrder(tx, order, { event, booked: -slots, set: { closedAt: now } });
  // Its promotion stock, coupon and the day's coupon use go back.
  await releaseOrderOffers(tx, orderId, now);
  return true;
}

/** The student gives up an unpaid order at checkout: its held time goes back on sale now. */
export async function cancelUnpaidOrder(
  db: Database,
  studentId: string,
  orderId: string,
  now = new Date(),
): Promise<void> {
  await tradeTransaction(db, async (tx) => {
    const order = await lockOrderOf(tx, orderId, { studentId });
    if (!(await closeUnpaidOrder(tx, orderId, "cancel", now))) {
      throw new DomainError(
        "conflict",
        `This order is ${describeOrderStatus(order.status)}`,
        "orderId",
      );
    }
  });
}
