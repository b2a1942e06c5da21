import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDay, EMPTY_DAY, encodeDay, SlotState } from "../../server/inventory/slotBitmap";
import {
  applyLenient,
  applyTransition,
  canTransition,
  compareAndSet,
  IllegalTransition,
  SLOT_ACTIONS,
  type SlotAction,
  TRANSITIONS,
} from "../../server/inventory/slotTransitions";

const STATES = [0, 1, 2, 3] as const satisfies readonly SlotState[];
const stateArb = fc.constantFrom<SlotState>(...STATES);
const actionArb = fc.constantFrom<SlotAction>(...SLOT_ACTIONS);
const statesArb = fc.array(stateArb, { minLength: 48, maxLength: 48 });
const bitsArb = statesArb.map((states) => encodeDay(states));
const indexArb = fc.integer({ min: 0, max: 47 });
/** Index lists with possible duplicates, in any order. */
const indicesArb = fc.array(indexArb, { maxLength: 60 });
const nonEmptyIndicesArb = fc.array(indexArb, { minLength: 1, maxLength: 60 });

/**
 * The state machine written out independently of `TRANSITIONS` (00 unpublished, 01 published,
 * 10 reserved, 11 locked): action → state it moves a slot to, or undefined where refused.
 */
const EXPECTED: Record<SlotAction, Record<SlotState, SlotState | undefined>> = {
  publish: { 0: 1, 1: undefined, 2: undefined, 3: undefined },
  unpublish: { 0: undefined, 1: 0, 2: undefined, 3: undefined },
  reserve: { 0: undefined, 1: 2, 2: undefined, 3: undefined },
  release: { 0: undefined, 1: undefined, 2: 1, 3: undefined },
  lock: { 0: 3, 1: 3, 2: undefined, 3: undefined },
  unlock: { 0: undefined, 1: undefined, 2: undefined, 3: 0 },
};

function targetOf(action: SlotAction): SlotState {
  const targets = new Set(Object.values(EXPECTED[action]).filter((s) => s !== undefined));
  expect(targets.size).toBe(1);
  return [...targets][0]!;
}

// Bitwise operations on Postgres bit-string text, as the SQL would do them.
function bitAnd(a: string, b: string): string {
  expect(a).toHaveLength(b.length);
  return [...a].map((c, i) => (c === "1" && b[i] === "1" ? "1" : "0")).join("");
}
function bitOr(a: string, b: string): string {
  expect(a).toHaveLength(b.length);
  return [...a].map((c, i) => (c === "1" || b[i] === "1" ? "1" : "0")).join("");
}
function bitNot(a: string): string {
  return [...a].map((c) => (c === "1" ? "0" : "1")).join("");
}

/** Other slots keep their exact bits. */
function expectOthersUntouched(before: string, after: string, touched: Iterable<number>) {
  const inRange = new Set(touched);
  const a = decodeDay(before);
  const b = decodeDay(after);
  for (let i = 0; i < 48; i++) {
    if (!inRange.has(i)) expect(b[i], `slot ${i}`).toBe(a[i]);
  }
}

describe("transition table", () => {
  it("lists six actions, each with a target state and at least one source state", () => {
    expect([...SLOT_ACTIONS].sort()).toEqual(
      ["lock", "publish", "release", "reserve", "unlock", "unpublish"].sort(),
    );
    for (const action of SLOT_ACTIONS) {
      expect(TRANSITIONS[action].to).toBe(targetOf(action));
      expect(TRANSITIONS[action].from.length).toBeGreaterThan(0);
      // No action may start from its own target (it would be a no-op counted as a change).
      expect(TRANSITIONS[action].from).not.toContain(TRANSITIONS[action].to);
    }
  });

  it("canTransition matches the state machine for every state × action", () => {
    for (const action of SLOT_ACTIONS) {
      for (const state of STATES) {
        expect(canTransition(state, action), `${action} from ${state}`).toBe(
          EXPECTED[action][state] !== undefined,
        );
      }
    }
  });

  it("a reserved slot can only be released", () => {
    for (const action of SLOT_ACTIONS) {
      expect(canTransition(SlotState.Reserved, action), action).toBe(action === "release");
    }
  });
});

describe("applyTransition", () => {
  it("for every state × action, moves a lone slot or refuses without changing anything", () => {
    for (const action of SLOT_ACTIONS) {
      for (const state of STATES) {
        for (const index of [0, 17, 47]) {
          const states = new Array<SlotState>(48).fill(SlotState.Published);
          states[index] = state;
          const before = encodeDay(states);
          const copy = `${before}`;
          const to = EXPECTED[action][state];
          if (to === undefined) {
            let thrown: unknown;
            try {
              applyTransition(before, action, [index]);
            } catch (error) {
              thrown = error;
            }
            expect(thrown, `${action} from ${state}`).toBeInstanceOf(IllegalTransition);
            const illegal = thrown as IllegalTransition;
            expect(illegal.action).toBe(action);
            expect(illegal.index).toBe(index);
            expect(illegal.state).toBe(state);
            expect(before).toBe(copy);
          } else {
            const after = applyTransition(before, action, [index]);
            const expected = [...states];
            expected[index] = to;
            expect(after).toBe(encodeDay(expected));
          }
        }
      }
    }
  });

  it("sets every selected slot to the target and touches no other slot", () => {
    fc.assert(
      fc.property(statesArb, actionArb, nonEmptyIndicesArb, (states, action, indices) => {
        // Make the range legal: each selected slot gets some state the action allows.
        const from = TRANSITIONS[action].from;
        const legal = [...states];
        for (const i of indices) legal[i] = from[states[i]! % from.length]!;
        const before = encodeDay(legal);
        const after = applyTransition(before, action, indices);
        const decoded = decodeDay(after);
        for (const i of indices) expect(decoded[i]).toBe(targetOf(action));
        expectOthersUntouched(before, after, indices);
      }),
    );
  });

  it("refuses a range with any refused slot, naming one, and changes nothing", () => {
    fc.assert(
      fc.property(bitsArb, actionArb, nonEmptyIndicesArb, (bits, action, indices) => {
        const states = decodeDay(bits);
        const refused = indices.filter((i) => EXPECTED[action][states[i]!] === undefined);
        fc.pre(refused.length > 0);
        const copy = `${bits}`;
        let thrown: unknown;
        try {
          applyTransition(bits, action, indices);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(IllegalTransition);
        // The first refused slot in the caller's order is the one reported.
        expect((thrown as IllegalTransition).index).toBe(refused[0]);
        expect((thrown as IllegalTransition).state).toBe(states[refused[0]!]);
        expect(bits).toBe(copy);
      }),
    );
  });

  it("rejects indices outside the day", () => {
    for (const bad of [-1, 48, 1.5, Number.NaN]) {
      expect(() => applyTransition(EMPTY_DAY, "publish", [0, bad])).toThrow(RangeError);
    }
  });

  it("an empty index list changes nothing", () => {
    fc.assert(
      fc.property(bitsArb, actionArb, (bits, action) => {
        expect(applyTransition(bits, action, [])).toBe(bits);
      }),
    );
  });

  it("equals applyLenient's bits whenever the range is legal", () => {
    fc.assert(
      fc.property(statesArb, actionArb, indicesArb, (states, action, indices) => {
        const from = TRANSITIONS[action].from;
        const legal = [...states];
        for (const i of indices) legal[i] = from[states[i]! % from.length]!;
        const bits = encodeDay(legal);
        expect(indices.every((i) => canTransition(legal[i]!, action))).toBe(true);
        const strict = applyTransition(bits, action, indices);
        const lenient = applyLenient(bits, action, indices);
        expect(lenient.bits).toBe(strict);
        expect(lenient.changed).toBe(new Set(indices).size);
        expect(lenient.already + lenient.skipped).toBe(0);
      }),
    );
  });
});

describe("applyLenient", () => {
  it("counts add up to the distinct indices and match an independent count", () => {
    fc.assert(
      fc.property(bitsArb, actionArb, indicesArb, (bits, action, indices) => {
        const states = decodeDay(bits);
        const distinct = new Set(indices);
        const to = targetOf(action);
        let changed = 0;
        let already = 0;
        let skipped = 0;
        const expected = [...states];
        for (const i of distinct) {
          const s = states[i]!;
          if (s === to) already += 1;
          else if (EXPECTED[action][s] !== undefined) {
            changed += 1;
            expected[i] = to;
          } else skipped += 1;
        }
        const outcome = applyLenient(bits, action, indices);
        expect(outcome.changed + outcome.already + outcome.skipped).toBe(distinct.size);
        expect(outcome).toEqual({ bits: encodeDay(expected), changed, already, skipped });
        expectOthersUntouched(bits, outcome.bits, distinct);
      }),
    );
  });

  it("is idempotent: a second run changes nothing", () => {
    fc.assert(
      fc.property(bitsArb, actionArb, indicesArb, (bits, action, indices) => {
        const once = applyLenient(bits, action, indices);
        const twice = applyLenient(once.bits, action, indices);
        expect(twice.bits).toBe(once.bits);
        expect(twice.changed).toBe(0);
        expect(twice.already).toBe(once.already + once.changed);
        expect(twice.skipped).toBe(once.skipped);
      }),
    );
  });

  it("accepts any iterable and rejects indices outside the day", () => {
    const out = applyLenient(EMPTY_DAY, "publish", new Set([3, 4]).values());
    expect(out.changed).toBe(2);
    expect(() => applyLenient(EMPTY_DAY, "publish", [48])).toThrow(RangeError);
    expect(() => applyLenient(EMPTY_DAY, "publish", [-1])).toThrow(RangeError);
  });
});

describe("compareAndSet", () => {
  /** Runs `WHERE slots & mask = expected` / `SET slots = (slots & ~clear) | set` on text. */
  function simulate(bits: string, action: SlotAction, indices: readonly number[]) {
    const cas = compareAndSet(action, indices);
    for (const part of [cas.mask, cas.expected, cas.clear, cas.set]) {
      expect(part).toMatch(/^[01]{96}$/);
    }
    const matches = bitAnd(bits, cas.mask) === cas.expected;
    const updated = bitOr(bitAnd(bits, bitNot(cas.clear)), cas.set);
    return { matches, updated };
  }

  function check(bits: string, action: SlotAction, indices: readonly number[]) {
    const states = decodeDay(bits);
    const allowed = indices.every((i) => TRANSITIONS[action].from.includes(states[i]!));
    // Independent of the table object too.
    expect(allowed).toBe(indices.every((i) => EXPECTED[action][states[i]!] !== undefined));
    const { matches, updated } = simulate(bits, action, indices);
    expect(matches).toBe(allowed);
    if (matches) {
      expect(updated).toBe(applyTransition(bits, action, indices));
      expectOthersUntouched(bits, updated, indices);
    } else {
      expect(() => applyTransition(bits, action, indices)).toThrow(IllegalTransition);
    }
  }

  it("agrees with the table for random days and index sets", () => {
    fc.assert(
      fc.property(bitsArb, actionArb, indicesArb, (bits, action, indices) =>
        check(bits, action, indices),
      ),
      { numRuns: 500 },
    );
  });

  it("agrees with the table when the selection is mostly legal (both outcomes exercised)", () => {
    let matched = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        statesArb,
        actionArb,
        nonEmptyIndicesArb,
        fc.option(fc.tuple(fc.nat(), stateArb), { freq: 2 }),
        (states, action, indices, corruption) => {
          const from = TRANSITIONS[action].from;
          const day = [...states];
          for (const i of indices) day[i] = from[states[i]! % from.length]!;
          if (corruption) day[indices[corruption[0] % indices.length]!] = corruption[1];
          const bits = encodeDay(day);
          const allowed = indices.every((i) => from.includes(day[i]!));
          if (allowed) matched += 1;
          else refused += 1;
          check(bits, action, indices);
        },
      ),
      { numRuns: 500 },
    );
    expect(matched).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });

  it("for every action × state, a lone slot passes the WHERE exactly when the table allows", () => {
    for (const action of SLOT_ACTIONS) {
      for (const state of STATES) {
        for (const other of STATES) {
          const day = new Array<SlotState>(48).fill(other);
          day[20] = state;
          check(encodeDay(day), action, [20]);
        }
      }
    }
  });

  it("lock compares only the high bit (00 or 01 pass, 10 and 11 do not)", () => {
    const cas = compareAndSet("lock", [0]);
    expect(cas.mask.slice(0, 2)).toBe("10");
    expect(cas.expected.slice(0, 2)).toBe("00");
    expect(cas.clear.slice(0, 2)).toBe("11");
    expect(cas.set.slice(0, 2)).toBe("11");
    expect(cas.mask.slice(2)).toBe("0".repeat(94));
  });

  it("an empty selection always matches and changes nothing", () => {
    fc.assert(
      fc.property(bitsArb, actionArb, (bits, action) => {
        const { matches, updated } = simulate(bits, action, []);
        expect(matches).toBe(true);
        expect(updated).toBe(bits);
      }),
    );
  });

  it("rejects indices outside the day", () => {
    expect(() => compareAndSet("publish", [48])).toThrow(RangeError);
    expect(() => compareAndSet("publish", [-1])).toThrow(RangeError);
  });
});
