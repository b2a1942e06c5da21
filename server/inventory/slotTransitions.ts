import { decodeDay, encodeDay, SlotState, slotMask } from "./slotBitmap";

/**
 * What may happen to a slot (seed 000's state machine). A reserved slot belongs to a lesson or
 * an unpaid hold: only `release` (cancel, expiry) frees it, so a teacher cannot unpublish or
 * lock time someone bought. Unlocking returns a slot to unpublished: 2 bits cannot remember
 * whether it was published before, and selling time the teacher did not re-offer is worse
 * than asking them to publish again.
 */
export const SLOT_ACTIONS = [
  "publish",
  "unpublish",
  "reserve",
  "release",
  "lock",
  "unlock",
] as const;
export type SlotAction = (typeof SLOT_ACTIONS)[number];

export const TRANSITIONS: Record<SlotAction, { from: readonly SlotState[]; to: SlotState }> = {
  publish: { from: [SlotState.Unpublished], to: SlotState.Published },
  unpublish: { from: [SlotState.Published], to: SlotState.Unpublished },
  reserve: { from: [SlotState.Published], to: SlotState.Reserved },
  release: { from: [SlotState.Reserved], to: SlotState.Published },
  lock: { from: [SlotState.Unpublished, SlotState.Published], to: SlotState.Locked },
  unlock: { from: [SlotState.Locked], to: SlotState.Unpublished },
};

export function canTransition(state: SlotState, action: SlotAction): boolean {
  return TRANSITIONS[action].from.includes(state);
}

export class IllegalTransition extends Error {
  constructor(
    readonly action: SlotAction,
    readonly index: number,
    readonly state: SlotState,
  ) {
    super(`cannot ${action} slot ${index} in state ${state.toString(2).padStart(2, "0")}`);
    this.name = "IllegalTransition";
  }
}

/** All-or-nothing: every slot of the range must allow the action, else nothing changes. */
export function applyTransition(
  bits: string,
  action: SlotAction,
  indices: readonly number[],
): string {
  const states = decodeDay(bits);
  for (const i of indices) {
    const state = states[i];
    if (state === undefined) throw new RangeError(`slot index out of range: ${i}`);
    if (!canTransition(state, action)) throw new IllegalTransition(action, i, state);
  }
  for (const i of indices) states[i] = TRANSITIONS[action].to;
  return encodeDay(states);
}

export interface LenientOutcome {
  bits: string;
  /** Slots moved to the target state. */
  changed: number;
  /** Slots already in the target state. */
  already: number;
  /** Slots the action may not touch (e.g. reserved or locked when publishing). */
  skipped: number;
}

/** Best effort, for batch publishing: applies the action where allowed and counts the rest. */
export function applyLenient(
  bits: string,
  action: SlotAction,
  indices: Iterable<number>,
): LenientOutcome {
  const states = decodeDay(bits);
  const { to } = TRANSITIONS[action];
  let changed = 0;
  let already = 0;
  let skipped = 0;
  for (const i of new Set(indices)) {
    const state = states[i];
    if (state === undefined) throw new RangeError(`slot index out of range: ${i}`);
    if (state === to) already += 1;
    else if (canTransition(state, action)) {
      states[i] = to;
      changed += 1;
    } else skipped += 1;
  }
  return { bits: encodeDay(states), changed, already, skipped };
}

/**
 * The compare-and-set of an action on some slots of a day, as bit strings for SQL:
 * `WHERE slots & mask = expected`, then `SET slots = (slots & ~clear) | set`.
 * An action allowed from several states compares only the bits those states share
 * (lock: from 00 or 01 → the high bit must be 0).
 */
export function compareAndSet(action: SlotAction, indices: readonly number[]) {
  const { from, to } = TRANSITIONS[action];
  const clear = slotMask(indices);
  const states = new Array<SlotState>(48).fill(SlotState.Unpublished);
  const toStates = [...states];
  let maskBits = 0b11;
  let expectedBits = from[0]!;
  for (const state of from.slice(1)) {
    maskBits &= ~(state ^ expectedBits) & 0b11;
    expectedBits &= maskBits;
  }
  // The shared bits must describe exactly the allowed states, or the check would admit others.
  const admitted = ([0, 1, 2, 3] as SlotState[]).filter((s) => (s & maskBits) === expectedBits);
  if (admitted.length !== from.length) throw new Error(`no single compare-and-set for ${action}`);
  for (const i of indices) {
    states[i] = expectedBits as SlotState;
    toStates[i] = to;
  }
  const pairMask = ["00", "01", "10", "11"][maskBits]!;
  const mask = [...clear].map((c, j) => (c === "1" ? pairMask[j % 2] : "0")).join("");
  return { mask, expected: encodeDay(states), clear, set: encodeDay(toStates) };
}
