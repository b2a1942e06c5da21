import { and, eq, sql } from "drizzle-orm";
import type { Executor, Transaction } from "../../db/client";
import { refunds } from "../../db/schema";
import { DomainError } from "../domainError";
import { isSnowflakeId } from "../ids/snowflake";
import { nextRefundStatus, type RefundEvent } from "./refundStateMachine";

export type RefundRow = typeof refunds.$inferSelect;

export async function findRefund(db: Executor, refundId: string): Promise<RefundRow | null> {
  if (!isSnowflakeId(refundId)) return null;
  const [row] = await db.select().from(refunds).where(eq(refunds.id, refundId)).limit(1);
  return row ?? null;
}

/** Reads and locks a refund for the rest of the transaction; null if there is none. */
export async function lockRefund(tx: Transaction, refundId: string): Promise<RefundRow | null> {
  if (!isSnowflakeId(refundId)) return null;
  const [row] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for("update");
  return row ?? null;
}

type RefundChanges = Partial<
  Pick<
    RefundRow,
    | "toWallet"
    | "toGateway"
    | "decidedBy"
    | "decidedAt"
    | "declineReason"
    | "gatewayReference"
    | "lastError"
    | "attempts"
    | "completedAt"
  >
>;

/**
 * The only way a refund row changes after it is created: through the state machine (`events`
 * in turn, e.g. approve then complete) and a version compare-and-set.
 */
export async function updateRefund(
  tx: Transaction,
  refund: RefundRow,
  change: { events?: RefundEvent[]; set?: RefundChanges },
): Promise<RefundRow> {
  let status = refund.status;
  for (const event of change.events ?? []) {
    const next = nextRefundStatus(status, event);
    if (!next) {
      throw new DomainError(
        "conflict",
        status === "requested"
          ? "This refund is still waiting for a decision"
          : `This refund is ${status}`,
        "refundId",
      );
    }
    status = next;
  }
  const [row] = await tx
    .update(refunds)
    .set({ ...change.set, status, version: sql`${refunds.version} + 1` })
    .where(and(eq(refunds.id, refund.id), eq(refunds.version, refund.version)))
    .returning();
  if (!row) {
    throw new DomainError(
      "conflict",
      "This refund changed in the meantime; nothing was saved. Reload and try again.",
      "refundId",
    );
  }
  return row;
}
