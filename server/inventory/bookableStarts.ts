import { SLOT_MS } from "./slotBitmap";

/**
 * The instants a lesson of `lengthSlots` half hours can start at, given a teacher's free
 * (published) half-hour starts: every start whose `lengthSlots` half hours, each exactly
 * 30 minutes after the previous, are all free. UTC days do not matter: 23:30 and 00:00 the
 * next day are consecutive. Input may be unsorted and hold duplicates (invalid dates are
 * ignored); the result is sorted and duplicate-free, as fresh `Date`s.
 *
 * Pure and free of server-only imports, so client components may use it.
 */
export function bookableStarts(freeSlots: readonly Date[], lengthSlots: number): Date[] {
  if (!Number.isInteger(lengthSlots) || lengthSlots < 1) {
    throw new RangeError(`a lesson holds at least one half hour, got ${lengthSlots}`);
  }
  const free = new Set<number>();
  for (const at of freeSlots) {
    const ms = at.getTime();
    if (Number.isFinite(ms)) free.add(ms);
  }
  const sorted = [...free].sort((a, b) => a - b);
  const starts: Date[] = [];
  // runFrom[i]: how many consecutive free half hours start at sorted[i] (scanned backwards).
  let run = 0;
  const runFrom = new Array<number>(sorted.length);
  for (let i = sorted.length - 1; i >= 0; i--) {
    run = i + 1 < sorted.length && sorted[i + 1]! - sorted[i]! === SLOT_MS ? run + 1 : 1;
    runFrom[i] = run;
  }
  sorted.forEach((ms, i) => {
    if (runFrom[i]! >= lengthSlots) starts.push(new Date(ms));
  });
  return starts;
}

/** The longest lesson (in half hours, up to `max`) that fits somewhere in the free slots. */
export function longestBookable(freeSlots: readonly Date[], max: number): number {
  for (let length = max; length >= 1; length--) {
    if (bookableStarts(freeSlots, length).length > 0) return length;
  }
  return 0;
}
