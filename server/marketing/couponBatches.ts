import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "../../db/client";
import { findPostgresError } from "../../db/postgresError";
import { couponBatches, coupons, courses } from "../../db/schema";
import { getCache, type KeyValueCache } from "../cache";
import { PLATFORM_CURRENCY } from "../catalog/currency";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import {
  type BatchDraft,
  type BatchEdit,
  batchDraftProblems,
  batchEditProblems,
  type FieldProblem,
  normalizeClaimCode,
  statusMoveAllowed,
} from "./couponBatchRules";
import { forgetCounter } from "./couponCounter";
import { lockBatch } from "./couponIssue";
import type { CouponBatchRow } from "./offerCandidates";
import type { OfferStatus } from "./offerRules";

/** Who manages batches: an administrator (any batch, platform-funded) or a teacher (their own). */
export type BatchActor =
  | { role: "admin"; userId: string }
  | { role: "teacher"; userId: string; teacherId: string };

function raise(problems: FieldProblem[]): void {
  const first = problems[0];
  if (first) throw new DomainError("invalid", first.message, first.field);
}

/** What a batch draft may leave out. */
export type BatchDraftInput = Omit<
  BatchDraft,
  "currency" | "description" | "scopeIds" | "claimCode" | "minOrderAmount"
> & {
  currency?: string;
  description?: string;
  scopeIds?: string[];
  claimCode?: string | null;
  minOrderAmount?: number;
};

/**
 * A teacher's batch is for their own teaching: a course scope must name only their courses;
 * any other scope becomes "this teacher".
 */
async function teacherScope(
  db: Executor,
  teacherId: string,
  draft: BatchDraft,
): Promise<Pick<BatchDraft, "scopeKind" | "scopeIds">> {
  if (draft.scopeKind !== "courses" || draft.scopeIds.length === 0) {
    return { scopeKind: "teachers", scopeIds: [teacherId] };
  }
  const ids = [...new Set(draft.scopeIds)];
  if (!ids.every((id) => /^\d{1,19}$/.test(id))) {
    throw new DomainError("invalid", "Expected course ids (digits)", "scopeIds");
  }
  const own = await db
    .select({ id: courses.id })
    .from(courses)
    .where(and(eq(courses.teacherId, teacherId), inArray(courses.id, ids)));
  if (own.length !== ids.length) {
    throw new DomainError(
      "forbidden",
      "A teacher's coupons are for their own courses only",
      "scopeIds",
    );
  }
  return { scopeKind: "courses", scopeIds: ids };
}

/** Creates a batch: platform-funded by an admin, teacher-funded (own scope) by a teacher. */
export async function createBatch(
  db: Database,
  actor: BatchActor,
  input: BatchDraftInput,
  now = new Date(),
): Promise<CouponBatchRow> {
  let draft: BatchDraft = {
    ...input,
    description: input.description ?? "",
    currency: input.currency ?? PLATFORM_CURRENCY,
    scopeIds: input.scopeIds ?? [],
    minOrderAmount: input.minOrderAmount ?? 0,
    claimCode: input.claimCode?.trim() ? input.claimCode : null,
  };
  if (actor.role === "teacher")
    draft = { ...draft, ...(await teacherScope(db, actor.teacherId, draft)) };
  raise(batchDraftProblems(draft, now));
  const claimCode = draft.claimCode === null ? null : normalizeClaimCode(draft.claimCode);
  try {
    const [row] = await db
      .insert(couponBatches)
      .values({
        id: newId(),
        ...draft,
        title: draft.title.trim(),
        claimCode,
        funder: actor.role === "admin" ? "platform" : "teacher",
        teacherId: actor.role === "teacher" ? actor.teacherId : null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  } catch (error) {
    if (
      findPostgresError(error, new Set(["23505"]))
        ?.constraint.toLowerCase()
        .includes("claimcode")
    ) {
      throw new DomainError("conflict", "Another batch already uses this claim code", "claimCode");
    }
    throw error;
  }
}

/** The batch, locked, if the actor may manage it (teachers: only their own). */
export async function lockOwnBatch(tx: Transaction, actor: BatchActor, batchId: string) {
  const batch = await lockBatch(tx, batchId, "batchId");
  if (actor.role === "teacher" && batch.teacherId !== actor.teacherId) {
    throw new DomainError("not_found", "No such coupon batch", "batchId");
  }
  return batch;
}

/** Edits within the rules (couponBatchRules.batchEditProblems), in one transaction. */
export async function updateBatch(
  db: Database,
  actor: BatchActor,
  batchId: string,
  edit: BatchEdit,
  now = new Date(),
  cache: KeyValueCache = getCache(),
): Promise<CouponBatchRow> {
  const row = await db.transaction(async (tx) => {
    const batch = await lockOwnBatch(tx, actor, batchId);
    raise(batchEditProblems(batch, edit, now));
    const [updated] = await tx
      .update(couponBatches)
      .set({
        ...(edit.title !== undefined ? { title: edit.title.trim() } : {}),
        ...(edit.description !== undefined ? { description: edit.description } : {}),
        ...(edit.claimUntil !== undefined ? { claimUntil: edit.claimUntil } : {}),
        ...(edit.budgetCount !== undefined ? { budgetCount: edit.budgetCount } : {}),
        ...(edit.budgetAmount !== undefined ? { budgetAmount: edit.budgetAmount } : {}),
        ...(edit.perUserLimit !== undefined ? { perUserLimit: edit.perUserLimit } : {}),
        version: sql`${couponBatches.version} + 1`,
        updatedAt: now,
      })
      .where(eq(couponBatches.id, batch.id))
      .returning();
    return updated!;
  });
  // The budget may have changed: the Redis counter reseeds from Postgres on the next claim.
  await forgetCounter(cache, batchId);
  return row;
}

/**
 * Pause, resume or retire. Retiring is final and voids the batch's available coupons; coupons
 * locked to an unpaid order or used stay as they are. A coupon pending for a phone number has
 * no owner, and the schema ties `pending` to "no owner" (coupons_pending), so it stays pending
 * and becomes void the moment an account attaches it (phoneCoupons.attachPhoneCoupons).
 */
export async function setBatchStatus(
  db: Database,
  actor: BatchActor,
  batchId: string,
  status: OfferStatus,
  now = new Date(),
  cache: KeyValueCache = getCache(),
): Promise<{ batch: CouponBatchRow; voided: number }> {
  const out = await db.transaction(async (tx) => {
    const batch = await lockOwnBatch(tx, actor, batchId);
    if (!statusMoveAllowed(batch.status, status)) {
      throw new DomainError(
        "conflict",
        batch.status === "retired"
          ? "This batch is retired; it cannot change any more"
          : `This batch is already ${batch.status}`,
        "status",
      );
    }
    const [updated] = await tx
      .update(couponBatches)
      .set({ status, version: sql`${couponBatches.version} + 1`, updatedAt: now })
      .where(eq(couponBatches.id, batch.id))
      .returning();
    let voided = 0;
    if (status === "retired") {
      const rows = await tx
        .update(coupons)
        .set({ status: "void", version: sql`${coupons.version} + 1` })
        .where(and(eq(coupons.batchId, batch.id), eq(coupons.status, "available")))
        .returning({ id: coupons.id });
      voided = rows.length;
    }
    return { batch: updated!, voided };
  });
  await forgetCounter(cache, batchId);
  return out;
}
