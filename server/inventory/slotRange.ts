import { SLOT_MS, SLOTS_PER_DAY, slotOf } from "./slotBitmap";

/** Consecutive half hours starting at `start` (a UTC :00 or :30). */
export interface SlotRange {
  start: Date;
  slots: number;
}

export interface DaySegment {
  day: string;
  indices: number[];
}

/**
 * The UTC teacher-days a range touches, in day order (the order rows are locked in, so two
 * writers never wait on each other in opposite orders). A lesson over midnight spans two.
 */
export function daySegments(range: SlotRange): DaySegment[] {
  if (!Number.isInteger(range.slots) || range.slots < 1) {
    throw new RangeError(`a range holds at least one slot, got ${range.slots}`);
  }
  const first = slotOf(range.start);
  const segments: DaySegment[] = [];
  let day = first.day;
  let index = first.index;
  let current: DaySegment = { day, indices: [] };
  for (let n = 0; n < range.slots; n++) {
    if (index === SLOTS_PER_DAY) {
      segments.push(current);
      ({ day, index } = slotOf(new Date(range.start.getTime() + n * SLOT_MS)));
      current = { day, indices: [] };
    }
    current.indices.push(index);
    index += 1;
  }
  segments.push(current);
  return segments;
}

export function rangeEnd(range: SlotRange): Date {
  return new Date(range.start.getTime() + range.slots * SLOT_MS);
}

export function isSlotAligned(at: Date): boolean {
  return at.getTime() % SLOT_MS === 0;
}
