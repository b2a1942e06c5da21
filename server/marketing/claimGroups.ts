import { and, count, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { coupons } from "../../db/schema";
import { DomainError } from "../domainError";
import { couponsLeft } from "./couponBatchRules";
import { insertCoupons, lockBatch, takeBudget } from "./couponIssue";
import type { CouponBatchRow, CouponRow } from "./offerCandidates";

/**
 * Group commit for claims of one batch (seed 002's hot row). Every claim of a batch must hold
 * the batch row's lock, so one claim per transaction caps a batch at one lock hold (a handful
 * of round trips and a commit) per claim. Instead, claims of a batch arriving in this process
 * while its transaction runs queue here, and the next transaction takes up to GROUP_MAX of
 * them at once: lock the batch, read their claim keys and the students' counts in one query
 * each, decide each claim in order exactly as a lone claim would be decided, take the budget
 * for the accepted ones with the conditional UPDATE and insert their coupons in one statement.
 * A claim refused for its own reason (limit, sold out) does not disturb the others; a failed
 * transaction fails the whole group, and nothing of it was written. Across processes the batch
 * row's lock still orders the groups.
 */
export const GROUP_MAX = 100;

export interface QueuedClaim {
  studentId: string;
  claimKey: string;
  /** Claimed by typing the batch's code (a private batch is claimed only so). */
  byCode: boolean;
  /** The input field errors name ("batchId" or "claimCode"). */
  field: string;
  now: Date;
}

export interface ClaimResult {
  coupon: CouponRow;
  batch: CouponBatchRow;
  /** False when the request key had already issued this coupon. */
  created: boolean;
}

interface Waiting extends QueuedClaim {
  resolve: (result: ClaimResult) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  waiting: Waiting[];
  running: boolean;
}

const queues = new WeakMap<Database, Map<string, Queue>>();

/** Why a batch takes no claims now, or null when it does (status and dates; not the budget). */
export function claimClosedReason(batch: CouponBatchRow, now: Date): string | null {
  if (batch.status === "paused") return "This coupon is paused for now; try again later";
  if (batch.status === "retired") return "This coupon campaign has ended";
  if (batch.claimUntil && batch.claimUntil.getTime() <= now.getTime())
    return "Claims for this coupon are closed";
  if (batch.validUntil && batch.validUntil.getTime() <= now.getTime())
    return "Claims for this coupon are closed: its validity has ended";
  return null;
}

export const limitMessage = (limit: number) =>
  limit === 1
    ? "You already have this coupon"
    : `You already have ${limit} of these coupons: at most ${limit} per student`;

/** Issues (or finds) the coupon of one claim, in the next group transaction of its batch. */
export function issueClaim(
  db: Database,
  batchId: string,
  claim: QueuedClaim,
): Promise<ClaimResult> {
  let byBatch = queues.get(db);
  if (!byBatch) {
    byBatch = new Map();
    queues.set(db, byBatch);
  }
  let queue = byBatch.get(batchId);
  if (!queue) {
    queue = { waiting: [], running: false };
    byBatch.set(batchId, queue);
  }
  const promise = new Promise<ClaimResult>((resolve, reject) => {
    queue.waiting.push({ ...claim, resolve, reject });
  });
  if (!queue.running) void drain(db, batchId, queue, byBatch);
  return promise;
}

async function drain(db: Database, batchId: string, queue: Queue, byBatch: Map<string, Queue>) {
  queue.running = true;
  try {
    while (queue.waiting.length > 0) {
      const group = queue.waiting.splice(0, GROUP_MAX);
      try {
        const outcomes = await runGroup(db, batchId, group);
        outcomes.forEach((outcome, i) => {
          if (outcome instanceof DomainError) group[i]!.reject(outcome);
          else group[i]!.resolve(outcome);
        });
      } catch (error) {
        for (const claim of group) claim.reject(error);
      }
    }
  } finally {
    queue.running = false;
    byBatch.delete(batchId);
  }
}

/** One transaction for a group of claims of one batch; an outcome per claim, in order. */
function runGroup(
  db: Database,
  batchId: string,
  group: readonly QueuedClaim[],
): Promise<(ClaimResult | DomainError)[]> {
  const now = new Date(Math.max(...group.map((c) => c.now.getTime())));
  return db.transaction(async (tx) => {
    let batch: CouponBatchRow;
    try {
      batch = await lockBatch(tx, batchId, "batchId");
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return group.map((c) => new DomainError(error.kind, error.message, c.field));
    }
    const existing = await tx
      .select()
      .from(coupons)
      .where(
        and(
          eq(coupons.batchId, batchId),
          inArray(
            coupons.claimKey,
            group.map((c) => c.claimKey),
          ),
        ),
      );
    const byKey = new Map(existing.map((c) => [c.claimKey, c]));
    const students = [...new Set(group.map((c) => c.studentId))];
    const counted = await tx
      .select({ studentId: coupons.ownerUserId, n: count() })
      .from(coupons)
      .where(and(eq(coupons.batchId, batchId), inArray(coupons.ownerUserId, students)))
      .groupBy(coupons.ownerUserId);
    const held = new Map(counted.map((r) => [r.studentId!, r.n]));
    let left = couponsLeft(batch) ?? Number.POSITIVE_INFINITY;
    const closed = claimClosedReason(batch, now);

    // Decide each claim in arrival order, as if alone; a key repeated inside the group
    // waits for the coupon its first claim gets.
    type Decision =
      | { kind: "existing"; coupon: CouponRow }
      | { kind: "new" }
      | { kind: "same"; key: string }
      | DomainError;
    const accepted = new Set<string>();
    const decisions: Decision[] = group.map((c) => {
      const found = byKey.get(c.claimKey);
      if (found) return { kind: "existing", coupon: found };
      if (accepted.has(c.claimKey)) return { kind: "same", key: c.claimKey };
      if (!batch.public && !c.byCode)
        return new DomainError("not_found", "No such coupon batch", c.field);
      if (closed) return new DomainError("conflict", closed, c.field);
      const mine = held.get(c.studentId) ?? 0;
      if (mine >= batch.perUserLimit) {
        return new DomainError("conflict", limitMessage(batch.perUserLimit), c.field);
      }
      if (left <= 0) return new DomainError("conflict", "This coupon is sold out", c.field);
      left -= 1;
      held.set(c.studentId, mine + 1);
      accepted.add(c.claimKey);
      return { kind: "new" };
    });
    const fresh = group.filter((_, i) => (decisions[i] as { kind?: string }).kind === "new");
    const created = new Map<string, CouponRow>();
    if (fresh.length > 0) {
      // The record: this UPDATE cannot take more than the budget, whatever was decided above.
      if (!(await takeBudget(tx, batch, fresh.length, now))) {
        throw new Error(`coupon batch ${batchId}: the budget moved under its lock`);
      }
      const rows = await insertCoupons(
        tx,
        batch,
        fresh.map((c) => ({ claimKey: c.claimKey, ownerUserId: c.studentId, ownerPhone: null })),
        now,
      );
      for (const row of rows) created.set(row.claimKey, row);
    }
    return decisions.map((d, i) => {
      if (d instanceof DomainError) return d;
      if (d.kind === "existing") return { coupon: d.coupon, batch, created: false };
      if (d.kind === "same") return { coupon: created.get(d.key)!, batch, created: false };
      return { coupon: created.get(group[i]!.claimKey)!, batch, created: true };
    });
  });
}
