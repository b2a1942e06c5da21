import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { teacherDays } from "../../db/schema";
import { EMPTY_DAY } from "./slotBitmap";
import { applyLenient } from "./slotTransitions";
import { ensureTeacherDays } from "./transitionSlots";

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

/**
 * Batch publishing, best effort: publishes and unpublishes where the slot allows it, never
 * touches reserved or locked slots, and counts what it did. Three statements whatever the
 * range: create missing rows, lock the rows in day order (FOR UPDATE: a concurrent reserve
 * waits, then re-checks its compare-and-set against what we wrote), write the changed ones.
 * With `dryRun` it only reads and counts, for the dashboard's preview.
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
  const days = plans.map((p) => p.day);
  if (days.length === 0) return outcome;
  if (!options.dryRun) {
    await ensureTeacherDays(
      tx,
      teacherId,
      plans.filter((p) => p.publish.length > 0).map((p) => p.day),
    );
  }
  const read = tx
    .select({ day: teacherDays.day, slots: teacherDays.slots })
    .from(teacherDays)
    .where(and(eq(teacherDays.teacherId, teacherId), inArray(teacherDays.day, days)))
    .orderBy(asc(teacherDays.day));
  const rows = options.dryRun ? await read : await read.for("update");
  const current = new Map(rows.map((r) => [r.day, r.slots]));

  const writes: { day: string; slots: string }[] = [];
  for (const plan of plans) {
    const before = current.get(plan.day) ?? EMPTY_DAY;
    const published = applyLenient(before, "publish", plan.publish);
    const unpublished = applyLenient(published.bits, "unpublish", plan.unpublish);
    outcome.published += published.changed;
    outcome.alreadyPublished += published.already;
    outcome.unpublished += unpublished.changed;
    outcome.skipped += published.skipped + unpublished.skipped;
    if (unpublished.bits !== before && current.has(plan.day)) {
      writes.push({ day: plan.day, slots: unpublished.bits });
    }
  }
  if (!options.dryRun && writes.length > 0) {
    const values = sql.join(
      writes.map((w) => sql`(${w.day}::date, ${w.slots}::bit(96))`),
      sql`, `,
    );
    await tx.execute(sql`
      UPDATE ${teacherDays} AS t
      SET slots = v.slots, version = t.version + 1, updated_at = now()
      FROM (VALUES ${values}) AS v(day, slots)
      WHERE t.teacher_id = ${teacherId} AND t.day = v.day`);
    outcome.rowsWritten = writes.length;
  }
  return outcome;
}
