import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { EMPTY_DAY } from "./slotBitmap";
import { applyLenient } from "./slotTransitions";

/** What to publish and unpublish on one UTC day (slot indices). */
export interface DayPlan {
  day: string;
  publish: number[];
  unpublish: number[];
}

export interface PlanOutcome {
  published: number;
  alreadyPublished: number;
  unpublished: number;
  /** Reserved or locked slots the plan left alone. */
  skipped: number;
  /** Teacher-day rows written (at most one per day). */
  rowsWritten: number;
}

interface DayResult {
  bits: string;
  published: number;
  alreadyPublished: number;
  unpublished: number;
  skipped: number;
}

/** One day's plan on its current bits. A slot both added and removed ends up removed. */
export function planDay(before: string, plan: DayPlan): DayResult {
  const removed = new Set(plan.unpublish);
  const published = applyLenient(
    before,
    "publish",
    plan.publish.filter((i) => !removed.has(i)),
  );
  const unpublished = applyLenient(published.bits, "unpublish", removed);
  return {
    bits: unpublished.bits,
    published: published.changed,
    alreadyPublished: published.already,
    unpublished: unpublished.changed,
    skipped: published.skipped + unpublished.skipped,
  };
}

/**
 * Batch publishing, best effort: publishes and unpublishes where the slot allows it, never
 * touches reserved or locked slots, and counts what it did. A handful of statements whatever
 * the range: lock the existing rows in day order (FOR UPDATE: a concurrent reserve waits, then
 * re-checks its compare-and-set against what we wrote), insert new days with their final bits,
 * update the changed ones. With `dryRun` it only reads and counts, for the dashboard preview.
 */
export async function applySlotPlan(
  tx: Transaction,
  teacherId: string,
  plans: readonly DayPlan[],
  options: { dryRun?: boolean } = {},
): Promise<PlanOutcome> {
  const outcome: PlanOutcome = {
    published: 0,
    alreadyPublished: 0,
    unpublished: 0,
    skipped: 0,
    rowsWritten: 0,
  };
  const byDay = new Map(plans.map((p) => [p.day, p]));
  const current = await readDays(tx, teacherId, [...byDay.keys()], !options.dryRun);

  const inserts: { day: string; slots: string }[] = [];
  const updates: { day: string; slots: string }[] = [];
  const tally = (day: string, before: string | undefined) => {
    const result = planDay(before ?? EMPTY_DAY, byDay.get(day)!);
    outcome.published += result.published;
    outcome.alreadyPublished += result.alreadyPublished;
    outcome.unpublished += result.unpublished;
    outcome.skipped += result.skipped;
    if (result.bits !== (before ?? EMPTY_DAY)) {
      (before === undefined ? inserts : updates).push({ day, slots: result.bits });
    }
  };
  for (const day of byDay.keys()) tally(day, current.get(day));
  if (options.dryRun) return outcome;

  if (inserts.length > 0) {
    const created = await tx
      .insert(teacherDays)
      .values(inserts.map((w) => ({ teacherId, day: w.day, slots: w.slots, version: 1 })))
      .onConflictDoNothing()
      .returning({ day: teacherDays.day });
    const createdDays = new Set(created.map((r) => r.day));
    const raced = inserts.filter((w) => !createdDays.has(w.day)).map((w) => w.day);
    if (raced.length > 0) {
      // Another writer created these days since we read: plan them again on their bits.
      const rows = await readDays(tx, teacherId, raced, true);
      for (const day of raced) {
        const counted = planDay(EMPTY_DAY, byDay.get(day)!);
        outcome.published -= counted.published;
        outcome.alreadyPublished -= counted.alreadyPublished;
        outcome.unpublished -= counted.unpublished;
        outcome.skipped -= counted.skipped;
        tally(day, rows.get(day));
      }
    }
    outcome.rowsWritten += created.length;
  }
  if (updates.length > 0) {
    const values = sql.join(
      updates.map((w) => sql`(${w.day}::date, ${w.slots}::bit(96))`),
      sql`, `,
    );
    await tx.execute(sql`
      UPDATE ${teacherDays} AS t
      SET slots = v.slots, version = t.version + 1, updated_at = now()
      FROM (VALUES ${values}) AS v(day, slots)
      WHERE t.teacher_id = ${teacherId} AND t.day = v.day`);
    outcome.rowsWritten += updates.length;
  }
  return outcome;
}

async function readDays(tx: Transaction, teacherId: string, days: string[], lock: boolean) {
  if (days.length === 0) return new Map<string, string>();
  const query = tx
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(and(eq(teacherDays.teacherId, teacherId), inArray(teacherDays.day, days)))
    .orderBy(asc(teacherDays.day));
  const rows = lock ? await query.for("update") : await query;
  return new Map(rows.map((r) => [r.day, r.slots]));
}
