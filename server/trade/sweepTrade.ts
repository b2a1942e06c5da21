import { and, asc, eq, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { lessons, orders } from "../../db/schema";
import { DomainError } from "../domainError";
import { expireLapsedPayments } from "../payment/expireLapsedPayments";
import { retryGatewayRefunds } from "../payment/sendGatewayRefund";
import { closeLesson } from "./lessonClosing";
import { tradeSettings } from "./tradeSettings";
import { tradeTransaction } from "./tradeTransaction";
import { closeUnpaidOrder } from "./unpaidOrders";

export interface SweepOutcome {
  expiredOrders: number;
  completedLessons: number;
  expiredPayments: number;
  /** Approved refunds whose gateway part went through on a retry. */
  gatewayRefunds: number;
}

/**
 * Housekeeping, safe to run anywhere and any number of times at once (every step re-checks
 * under a row lock): unpaid orders past their hold expire and free their slots; booked
 * lessons nobody closed within the dispute window are completed; approved refunds whose
 * gateway part failed are sent again (server/payment/sendGatewayRefund.ts). Correctness never waits for
 * it — reads treat lapsed holds as free and bookings release them — it keeps rows tidy.
 * Each item is its own transaction, so one failure does not stop the rest.
 */
export async function sweepTrade(
  db: Database,
  now = new Date(),
  batch = 500,
): Promise<SweepOutcome> {
  const settings = tradeSettings();
  const lapsed = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "pending_payment"), lte(orders.holdExpiresAt, now)))
    .orderBy(asc(orders.holdExpiresAt))
    .limit(batch);
  let expiredOrders = 0;
  for (const { id } of lapsed) {
    if (await tradeTransaction(db, (tx) => closeUnpaidOrder(tx, id, "expire", now))) {
      expiredOrders += 1;
    }
  }
  const cutoff = new Date(now.getTime() - settings.autoCompleteHours * 3_600_000);
  const unclosed = await db
    .select({ id: lessons.id })
    .from(lessons)
    .where(and(eq(lessons.status, "booked"), lte(lessons.endsAt, cutoff)))
    .orderBy(asc(lessons.endsAt))
    .limit(batch);
  let completedLessons = 0;
  for (const { id } of unclosed) {
    try {
      await closeLesson(db, { role: "system" }, { lessonId: id, outcome: "completed" }, now);
      completedLessons += 1;
    } catch (error) {
      // Closed by the teacher in the meantime: nothing to do.
      if (!(error instanceof DomainError)) throw error;
    }
  }
  const expiredPayments = await expireLapsedPayments(db, now, batch);
  const gatewayRefunds = await retryGatewayRefunds(db, now);
  return { expiredOrders, completedLessons, expiredPayments, gatewayRefunds };
}
