import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { courses, orders, promotions, promotionTargets, promotionUses } from "../../db/schema";
import type { KeyValueCache } from "../cache/port";
import { PLATFORM_CURRENCY } from "../catalog/currency";
import { DomainError } from "../domainError";
import { newId } from "../ids/snowflake";
import { promotionsChanged } from "./cachedPromotions";
import { type PromotionRow, promotionOffer, scopeOf } from "./offerCandidates";
import type { OfferScope } from "./priceCalculator";
import { promotionTargetRows } from "./promotionIndex";
import {
  type CreatePromotionInput,
  checkEdit,
  checkScopeFor,
  type EditPromotionInput,
  nextStatus,
  type PromotionAuthor,
  toOfferScope,
} from "./promotionRules";
import { promotionWords } from "./promotionWords";

/**
 * Promotions as admins and teachers write them. Every write is one transaction that also
 * rewrites the promotion's rows in the inverted index (promotion_targets), so the index never
 * disagrees with its promotions; after commit the cached lookups are invalidated.
 */

const NOT_FOUND = () => new DomainError("not_found", "No such promotion", "promotionId");

/** An admin, or a teacher with the ids of their own courses (what their scopes may name). */
export async function promotionAuthor(
  db: Executor,
  who: { role: string; userId: string; teacherId?: string },
): Promise<PromotionAuthor> {
  if (who.role === "admin") return { role: "admin", userId: who.userId };
  if (who.role !== "teacher" || !who.teacherId) {
    throw new DomainError("forbidden", "Only administrators and teachers manage promotions");
  }
  const own = await db
    .select({ id: courses.id })
    .from(courses)
    .where(eq(courses.teacherId, who.teacherId));
  return {
    role: "teacher",
    userId: who.userId,
    teacherId: who.teacherId,
    courseIds: own.map((c) => c.id),
  };
}

async function writeTargets(tx: Executor, row: PromotionRow) {
  await tx.delete(promotionTargets).where(eq(promotionTargets.promotionId, row.id));
  if (row.status === "retired") return; // a retired promotion leaves the index for good
  await tx.insert(promotionTargets).values(
    promotionTargetRows(scopeOf(row)).map((t) => ({
      ...t,
      promotionId: row.id,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
    })),
  );
}

export async function createPromotion(
  db: Database,
  cache: KeyValueCache,
  author: PromotionAuthor,
  input: CreatePromotionInput,
  now = new Date(),
): Promise<PromotionRow> {
  const scope: OfferScope = toOfferScope(input.scope);
  checkScopeFor(author, scope);
  if (input.endsAt <= now) {
    throw new DomainError("invalid", "The promotion would already be over", "endsAt");
  }
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(promotions)
      .values({
        id: newId(),
        title: input.title,
        description: input.description,
        funder: author.role === "admin" ? "platform" : "teacher",
        teacherId: author.role === "teacher" ? author.teacherId : null,
        createdBy: author.userId,
        kind: input.kind,
        percentBps: input.percentBps ?? null,
        amountOff: input.amountOff ?? null,
        price: input.price ?? null,
        minHours: input.minHours ?? null,
        currency: PLATFORM_CURRENCY,
        scopeKind: scope.kind,
        scopeIds: scope.kind === "all" ? [] : [...scope.ids],
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        stockTotal: input.stockTotal,
        perUserLimit: input.perUserLimit,
        priority: input.priority,
        exclusive: input.exclusive,
      })
      .returning();
    await writeTargets(tx, inserted!);
    return inserted!;
  });
  await promotionsChanged(cache);
  return row;
}

/** The promotion, locked, if the author may change it (admins: any; teachers: their own). */
async function lockOwn(tx: Executor, author: PromotionAuthor, promotionId: string) {
  const [row] = await tx
    .select()
    .from(promotions)
    .where(eq(promotions.id, promotionId))
    .for("update")
    .limit(1);
  if (!row || (author.role === "teacher" && row.teacherId !== author.teacherId)) throw NOT_FOUND();
  return row;
}

export async function editPromotion(
  db: Database,
  cache: KeyValueCache,
  author: PromotionAuthor,
  promotionId: string,
  input: EditPromotionInput,
  now = new Date(),
): Promise<PromotionRow> {
  const scope = toOfferScope(input.scope);
  checkScopeFor(author, scope);
  const row = await db.transaction(async (tx) => {
    const current = await lockOwn(tx, author, promotionId);
    checkEdit(current, input, now);
    const [updated] = await tx
      .update(promotions)
      .set({
        title: input.title,
        description: input.description,
        scopeKind: scope.kind,
        scopeIds: scope.kind === "all" ? [] : [...scope.ids],
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        stockTotal: input.stockTotal,
        priority: input.priority,
        version: sql`${promotions.version} + 1`,
        updatedAt: now,
      })
      .where(eq(promotions.id, promotionId))
      .returning();
    await writeTargets(tx, updated!);
    return updated!;
  });
  await promotionsChanged(cache);
  return row;
}

export async function changePromotionStatus(
  db: Database,
  cache: KeyValueCache,
  author: PromotionAuthor,
  promotionId: string,
  action: "pause" | "resume" | "retire",
  now = new Date(),
): Promise<PromotionRow> {
  const row = await db.transaction(async (tx) => {
    const current = await lockOwn(tx, author, promotionId);
    const status = nextStatus(current.status, action);
    const [updated] = await tx
      .update(promotions)
      .set({ status, version: sql`${promotions.version} + 1`, updatedAt: now })
      .where(eq(promotions.id, promotionId))
      .returning();
    await writeTargets(tx, updated!);
    return updated!;
  });
  await promotionsChanged(cache);
  return row;
}

/**
 * Promotions with what they did: stock used and left, orders that hold or used them, the
 * discount given and the revenue driven (what the paid orders that used it were paid;
 * consumed uses are paid orders, reserved ones are awaiting payment).
 */
export async function listPromotions(db: Executor, filter: { teacherId?: string } = {}) {
  const uses = db
    .select({
      promotionId: promotionUses.promotionId,
      consumedOrders: sql<number>`count(*) FILTER (WHERE ${promotionUses.status} = 'consumed')`
        .mapWith(Number)
        .as("consumed_orders"),
      reservedOrders: sql<number>`count(*) FILTER (WHERE ${promotionUses.status} = 'reserved')`
        .mapWith(Number)
        .as("reserved_orders"),
      discountGiven:
        sql<number>`coalesce(sum(${promotionUses.discountAmount}) FILTER (WHERE ${promotionUses.status} = 'consumed'), 0)`
          .mapWith(Number)
          .as("discount_given"),
      revenueDriven:
        sql<number>`coalesce(sum(${orders.paidAmount}) FILTER (WHERE ${promotionUses.status} = 'consumed'), 0)`
          .mapWith(Number)
          .as("revenue_driven"),
    })
    .from(promotionUses)
    .innerJoin(orders, eq(orders.id, promotionUses.orderId))
    .groupBy(promotionUses.promotionId)
    .as("uses");
  const rows = await db
    .select({
      promotion: promotions,
      consumedOrders: sql<number>`coalesce(${uses.consumedOrders}, 0)`.mapWith(Number),
      reservedOrders: sql<number>`coalesce(${uses.reservedOrders}, 0)`.mapWith(Number),
      discountGiven: sql<number>`coalesce(${uses.discountGiven}, 0)`.mapWith(Number),
      revenueDriven: sql<number>`coalesce(${uses.revenueDriven}, 0)`.mapWith(Number),
    })
    .from(promotions)
    .leftJoin(uses, eq(uses.promotionId, promotions.id))
    .where(filter.teacherId ? eq(promotions.teacherId, filter.teacherId) : undefined)
    .orderBy(desc(promotions.createdAt), desc(promotions.id))
    .limit(200);
  return rows.map((r) => ({
    ...r.promotion,
    words: promotionWords(promotionOffer(r.promotion).rule, r.promotion.currency),
    stockLeft:
      r.promotion.stockTotal === null ? null : r.promotion.stockTotal - r.promotion.stockUsed,
    consumedOrders: r.consumedOrders,
    reservedOrders: r.reservedOrders,
    discountGiven: r.discountGiven,
    revenueDriven: r.revenueDriven,
  }));
}

export type ListedPromotion = Awaited<ReturnType<typeof listPromotions>>[number];

/** The index rows of a promotion (for tests and diagnostics). */
export function targetsOf(db: Executor, promotionId: string) {
  return db
    .select()
    .from(promotionTargets)
    .where(and(eq(promotionTargets.promotionId, promotionId)))
    .orderBy(promotionTargets.targetKind, promotionTargets.targetId);
}
