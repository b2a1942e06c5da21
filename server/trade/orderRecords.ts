import { and, eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { orders } from "../../db/schema";
import { DomainError } from "../domainError";
import { describeOrderStatus, nextOrderStatus, type OrderEvent } from "./orderStateMachine";

export type OrderRow = typeof orders.$inferSelect;

/** Reads and locks an order for the rest of the transaction (every trade write starts here). */
export async function lockOrder(tx: Transaction, orderId: string): Promise<OrderRow | null> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return row ?? null;
}

export async function findOrder(db: Executor, orderId: string): Promise<OrderRow | null> {
  const [row] = await db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  return row ?? null;
}

type OrderChanges = Partial<
  Pick<
    OrderRow,
    "slotsBooked" | "slotsUsed" | "paidAt" | "paidAmount" | "closedAt" | "holdExpiresAt"
  >
>;

/**
 * The only way an order row changes after it is created: optionally through a state-machine
 * event, always as `UPDATE … WHERE id = ? AND version = ?` (seed 001's guard against ABA).
 * Counters are passed as deltas and checked again by the table's constraints.
 */
export async function updateOrder(
  tx: Transaction,
  order: OrderRow,
  change: { event?: OrderEvent; booked?: number; used?: number; set?: OrderChanges },
): Promise<OrderRow> {
  let status = order.status;
  if (change.event) {
    const next = nextOrderStatus(order.status, change.event);
    if (!next) {
      throw new DomainError(
        "conflict",
        `This order is ${describeOrderStatus(order.status)}`,
        "orderId",
      );
    }
    status = next;
  }
  const [row] = await tx
    .update(orders)
    .set({
      ...change.set,
      status,
      slotsBooked: sql`${orders.slotsBooked} + ${change.booked ?? 0}`,
      slotsUsed: sql`${orders.slotsUsed} + ${change.used ?? 0}`,
      version: sql`${orders.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(orders.id, order.id), eq(orders.version, order.version)))
    .returning();
  if (!row) {
    throw new DomainError(
      "conflict",
      "This order changed in the meantime; nothing was saved. Reload and try again.",
      "orderId",
    );
  }
  return row;
}

/**
 * Time consumed (a lesson took place, was missed, or was cancelled too late): moves hours
 * from booked to used and advances the order — paid → active on first use, active →
 * completed when everything bought is used.
 */
export async function consumeOrderTime(
  tx: Transaction,
  order: OrderRow,
  slots: number,
  now: Date,
): Promise<OrderRow> {
  let current = await updateOrder(tx, order, {
    event: order.status === "paid" ? "activate" : undefined,
    booked: -slots,
    used: slots,
  });
  if (current.status === "active" && current.slotsUsed === current.slotsBought) {
    current = await updateOrder(tx, current, { event: "complete", set: { closedAt: now } });
  }
  return current;
}

/** Unbooked, unused half hours left on an order. */
export const slotsLeft = (order: Pick<OrderRow, "slotsBought" | "slotsBooked" | "slotsUsed">) =>
  order.slotsBought - order.slotsBooked - order.slotsUsed;
