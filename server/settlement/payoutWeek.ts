/**
 * Weeks for payouts and the earnings chart, pure. A week starts on Monday at 00:00 UTC: one
 * clock for every teacher, so a payout run's cut-off means the same instant everywhere.
 */
const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of the week that contains `at`. */
export function weekStartUtc(at: Date): Date {
  const midnight = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  const weekday = new Date(midnight).getUTCDay(); // 0 = Sunday
  return new Date(midnight - ((weekday + 6) % 7) * DAY_MS);
}

/**
 * A payout run's cut-off (exclusive): the start of the current week, so a run on any day pays
 * everything settled up to the end of last week and nothing of the week still under way.
 */
export const payoutCutoff = (now: Date): Date => weekStartUtc(now);

/** The starts of the last `count` weeks, oldest first, the current week last. */
export function recentWeeks(now: Date, count: number): Date[] {
  const current = weekStartUtc(now).getTime();
  return Array.from({ length: count }, (_, i) => new Date(current - (count - 1 - i) * WEEK_MS));
}

/**
 * Sums amounts into the given weeks (starts as from recentWeeks); amounts outside them are
 * left out. Every week is present, zero when nothing fell in it.
 */
export function weeklyTotals(
  items: readonly { at: Date; amount: number }[],
  weeks: readonly Date[],
): { weekStart: Date; total: number }[] {
  const totals = new Map(weeks.map((w) => [w.getTime(), 0]));
  for (const item of items) {
    const key = weekStartUtc(item.at).getTime();
    const current = totals.get(key);
    if (current !== undefined) totals.set(key, current + item.amount);
  }
  return weeks.map((w) => ({ weekStart: w, total: totals.get(w.getTime()) ?? 0 }));
}
