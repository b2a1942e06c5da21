import { Temporal } from "temporal-polyfill";
import type { Database } from "../../db/client";
import { DomainError } from "../domainError";
import { applySlotPlan, type DayPlan, type PlanOutcome } from "./applySlotPlan";
import type { CalendarOwner } from "./calendarAccess";
import { SLOT_MS } from "./slotBitmap";
import { daySegments, isSlotAligned, type SlotRange } from "./slotRange";
import type { SlotAction } from "./slotTransitions";
import { transitionSlots } from "./transitionSlots";
import { localToday, slotsForWeeklyPattern, type WeeklyWindow } from "./weeklyAvailability";

/**
 * Longest batch, in the teacher's local days. 365, not 366: a local day's evening (west of
 * UTC) or morning (east of it) can spill onto one more UTC day, and a year must stay within
 * 366 teacher-day rows.
 */
export const MAX_PATTERN_DAYS = 365;

function assertFutureSlot(start: Date, now: Date, field = "start") {
  if (!isSlotAligned(start)) {
    throw new DomainError("invalid", "Times must start on the hour or half hour (UTC)", field);
  }
  if (start.getTime() < now.getTime()) {
    throw new DomainError("invalid", "That time is in the past", field);
  }
}

/** A teacher's click or drag on the week grid: all of the range, or nothing (optimistic UI). */
export async function changeSlots(
  db: Database,
  owner: CalendarOwner,
  range: SlotRange,
  action: Extract<SlotAction, "publish" | "unpublish" | "lock" | "unlock">,
  now = new Date(),
) {
  assertFutureSlot(range.start, now);
  await db.transaction((tx) => transitionSlots(tx, owner.teacherId, range, action));
  return { start: range.start, slots: range.slots, action };
}

export interface PatternInput {
  windows: WeeklyWindow[];
  from: string;
  to: string;
  additions: SlotRange[];
  removals: SlotRange[];
  dryRun: boolean;
}

/**
 * A weekly pattern in the teacher's zone over up to a year, plus one-off additions and
 * removals, in one transaction. Removals win over the pattern; slots already started are
 * left alone; reserved and locked slots are never overwritten (they are counted as skipped).
 */
export async function applyAvailabilityPattern(
  db: Database,
  owner: CalendarOwner,
  input: PatternInput,
  now = new Date(),
): Promise<PlanOutcome> {
  const today = localToday(owner.timeZone, now);
  const from = Temporal.PlainDate.from(input.from);
  const to = Temporal.PlainDate.from(input.to);
  if (Temporal.PlainDate.compare(from, Temporal.PlainDate.from(today)) < 0) {
    throw new DomainError(
      "invalid",
      `Start on or after today (${today} in ${owner.timeZone})`,
      "from",
    );
  }
  if (Temporal.PlainDate.compare(to, from) < 0) {
    throw new DomainError("invalid", "The end date is before the start date", "to");
  }
  if (from.until(to).days + 1 > MAX_PATTERN_DAYS) {
    throw new DomainError("invalid", `Publish at most ${MAX_PATTERN_DAYS} days at once`, "to");
  }
  if (input.windows.length + input.additions.length + input.removals.length === 0) {
    throw new DomainError(
      "invalid",
      "Add at least one weekly window, addition or removal",
      "windows",
    );
  }
  for (const [i, r] of input.additions.entries())
    assertFutureSlot(r.start, now, `additions.${i}.start`);
  for (const [i, r] of input.removals.entries())
    assertFutureSlot(r.start, now, `removals.${i}.start`);

  const plans = new Map<string, DayPlan>();
  const planFor = (day: string) => {
    const plan = plans.get(day) ?? { day, publish: [], unpublish: [] };
    plans.set(day, plan);
    return plan;
  };
  const nowMs = now.getTime();
  const startsInFuture = (day: string, index: number) =>
    Date.parse(`${day}T00:00:00Z`) + index * SLOT_MS >= nowMs;
  for (const [day, indices] of slotsForWeeklyPattern(
    input.windows,
    owner.timeZone,
    input.from,
    input.to,
  )) {
    planFor(day).publish.push(...indices.filter((i) => startsInFuture(day, i)));
  }
  for (const range of input.additions) {
    for (const segment of daySegments(range)) planFor(segment.day).publish.push(...segment.indices);
  }
  for (const range of input.removals) {
    for (const segment of daySegments(range))
      planFor(segment.day).unpublish.push(...segment.indices);
  }
  const ordered = [...plans.values()].sort((a, b) => a.day.localeCompare(b.day));
  return db.transaction((tx) =>
    applySlotPlan(tx, owner.teacherId, ordered, { dryRun: input.dryRun }),
  );
}
