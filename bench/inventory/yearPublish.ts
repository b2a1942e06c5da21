import { sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { type Database, queryRows } from "../../db/client";
import type { PlanOutcome } from "../../server/inventory/applySlotPlan";
import type { CalendarOwner } from "../../server/inventory/calendarAccess";
import {
  applyAvailabilityPattern,
  MAX_PATTERN_DAYS,
  type PatternInput,
} from "../../server/inventory/scheduleService";
import {
  localToday,
  slotsForWeeklyPattern,
  type WeeklyWindow,
} from "../../server/inventory/weeklyAvailability";

/** A realistic full-time teacher: Monday to Saturday, 08:00–22:00 in their own zone. */
export const MON_SAT_8_TO_22: WeeklyWindow[] = ([1, 2, 3, 4, 5, 6] as const).map((weekday) => ({
  weekday,
  start: "08:00",
  end: "22:00",
}));

export interface YearPublishResult {
  ms: number;
  dryRunMs: number;
  expandMs: number;
  outcome: PlanOutcome;
  rowsInTable: number;
}

/**
 * One applyAvailabilityPattern call publishing a year (365 local days, the longest allowed). A dry run
 * first warms the code paths (it writes nothing); the figure is the real call alone.
 */
export async function benchYearPublish(
  db: Database,
  owner: CalendarOwner,
): Promise<YearPublishResult> {
  const from = localToday(owner.timeZone);
  const to = Temporal.PlainDate.from(from)
    .add({ days: MAX_PATTERN_DAYS - 1 })
    .toString();
  const input: PatternInput = {
    windows: MON_SAT_8_TO_22,
    from,
    to,
    additions: [],
    removals: [],
    dryRun: false,
  };

  let started = performance.now();
  await applyAvailabilityPattern(db, owner, { ...input, dryRun: true });
  const dryRunMs = performance.now() - started;

  started = performance.now();
  const outcome = await applyAvailabilityPattern(db, owner, input);
  const ms = performance.now() - started;

  // The pure part of the call (pattern → UTC slots), to split CPU from database time.
  started = performance.now();
  slotsForWeeklyPattern(input.windows, owner.timeZone, from, to);
  const expandMs = performance.now() - started;

  const [count] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM teacher_days WHERE teacher_id = ${owner.teacherId}`,
  );
  return { ms, dryRunMs, expandMs, outcome, rowsInTable: count!.n };
}
