/**
 * The teacher-day codec (seed 000): 48 half-hour slots of one UTC day, 2 bits each, in the
 * text form Postgres uses for `bit(96)` ("0101…"). Slot i occupies characters 2i and 2i+1.
 * Pure: no I/O.
 */
export const SLOTS_PER_DAY = 48;
export const SLOT_MINUTES = 30;
export const SLOT_MS = SLOT_MINUTES * 60_000;
const DAY_MS = SLOTS_PER_DAY * SLOT_MS;

export const SlotState = {
  Unpublished: 0b00,
  Published: 0b01,
  Reserved: 0b10,
  Locked: 0b11,
} as const;
export type SlotState = (typeof SlotState)[keyof typeof SlotState];

const STATE_BITS = ["00", "01", "10", "11"] as const;

/** A day with every slot unpublished. */
export const EMPTY_DAY = "0".repeat(SLOTS_PER_DAY * 2);

export function decodeDay(bits: string): SlotState[] {
  if (bits.length !== SLOTS_PER_DAY * 2 || !/^[01]*$/.test(bits)) {
    throw new RangeError(`a teacher-day holds 96 bits, got ${JSON.stringify(bits)}`);
  }
  const states: SlotState[] = new Array(SLOTS_PER_DAY);
  for (let i = 0; i < SLOTS_PER_DAY; i++) {
    states[i] = (((bits.charCodeAt(2 * i) - 48) << 1) |
      (bits.charCodeAt(2 * i + 1) - 48)) as SlotState;
  }
  return states;
}

export function encodeDay(states: readonly SlotState[]): string {
  if (states.length !== SLOTS_PER_DAY) {
    throw new RangeError(`a teacher-day holds ${SLOTS_PER_DAY} slots, got ${states.length}`);
  }
  return states.map((s) => STATE_BITS[s]).join("");
}

export function stateAt(bits: string, index: number): SlotState {
  assertIndex(index);
  return (((bits.charCodeAt(2 * index) - 48) << 1) |
    (bits.charCodeAt(2 * index + 1) - 48)) as SlotState;
}

/** `count` slots from `from` set to `state`; other slots untouched. */
export function setRange(bits: string, from: number, count: number, state: SlotState): string {
  assertRange(from, count);
  return bits.slice(0, 2 * from) + STATE_BITS[state].repeat(count) + bits.slice(2 * (from + count));
}

export function countByState(bits: string): Record<SlotState, number> {
  const counts: Record<SlotState, number> = { 0: 0, 1: 0, 2: 0, 3: 0 };
  for (const state of decodeDay(bits)) counts[state] += 1;
  return counts;
}

/** The bit string with only the given slots' two bits set: selects them in SQL masks. */
export function slotMask(indices: Iterable<number>): string {
  const chars = new Array<string>(SLOTS_PER_DAY * 2).fill("0");
  for (const i of indices) {
    assertIndex(i);
    chars[2 * i] = "1";
    chars[2 * i + 1] = "1";
  }
  return chars.join("");
}

function assertIndex(index: number) {
  if (!Number.isInteger(index) || index < 0 || index >= SLOTS_PER_DAY) {
    throw new RangeError(`slot index out of range: ${index}`);
  }
}

export function assertRange(from: number, count: number) {
  if (
    !Number.isInteger(from) ||
    !Number.isInteger(count) ||
    from < 0 ||
    count < 1 ||
    from + count > SLOTS_PER_DAY
  ) {
    throw new RangeError(`slot range out of the day: ${from}+${count}`);
  }
}

/** UTC calendar day ("YYYY-MM-DD") and slot index of the half hour starting at `at`. */
export function slotOf(at: Date): { day: string; index: number } {
  const ms = at.getTime();
  if (ms % SLOT_MS !== 0) throw new RangeError(`${at.toISOString()} is not on a half hour`);
  const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  return { day: new Date(dayStart).toISOString().slice(0, 10), index: (ms - dayStart) / SLOT_MS };
}

/** The instant slot `index` of UTC `day` starts. */
export function slotStart(day: string, index: number): Date {
  assertIndex(index);
  return new Date(Date.parse(`${day}T00:00:00Z`) + index * SLOT_MS);
}

/** Start instants of every slot in `bits` whose state is `state`. */
export function slotsInState(day: string, bits: string, state: SlotState): Date[] {
  const out: Date[] = [];
  decodeDay(bits).forEach((s, i) => {
    if (s === state) out.push(slotStart(day, i));
  });
  return out;
}

export function addUtcDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
