import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lessonStatus } from "../../db/schema";
import {
  isLiveLesson,
  LESSON_EVENTS,
  LESSON_STATUSES,
  type LessonEvent,
  type LessonStatus,
  LIVE_LESSON_STATUSES,
  nextLessonStatus,
} from "../../server/trade/lessonStateMachine";

/**
 * The lesson state machine written out by hand, independently of the table in
 * server/trade/lessonStateMachine.ts. `null`: the event is refused in that state.
 *
 *   held → booked (order paid) | expired (hold lapsed) | cancelled (order cancelled)
 *   booked → booked (rescheduled) | cancelled | completed | no_show
 */
const EXPECTED: Record<LessonStatus, Record<LessonEvent, LessonStatus | null>> = {
  held: {
    confirm: "booked",
    expire: "expired",
    cancel: "cancelled",
    reschedule: null,
    complete: null,
    markNoShow: null,
  },
  booked: {
    confirm: null,
    expire: null,
    cancel: "cancelled",
    reschedule: "booked",
    complete: "completed",
    markNoShow: "no_show",
  },
  completed: {
    confirm: null,
    expire: null,
    cancel: null,
    reschedule: null,
    complete: null,
    markNoShow: null,
  },
  no_show: {
    confirm: null,
    expire: null,
    cancel: null,
    reschedule: null,
    complete: null,
    markNoShow: null,
  },
  cancelled: {
    confirm: null,
    expire: null,
    cancel: null,
    reschedule: null,
    complete: null,
    markNoShow: null,
  },
  expired: {
    confirm: null,
    expire: null,
    cancel: null,
    reschedule: null,
    complete: null,
    markNoShow: null,
  },
};

const ALL_STATUSES = ["held", "booked", "completed", "no_show", "cancelled", "expired"] as const;
const ALL_EVENTS = ["confirm", "expire", "cancel", "reschedule", "complete", "markNoShow"] as const;
const FINAL: LessonStatus[] = ["completed", "no_show", "cancelled", "expired"];
const LIVE: LessonStatus[] = ["held", "booked"];

const statusArb = fc.constantFrom<LessonStatus>(...ALL_STATUSES);
const eventArb = fc.constantFrom<LessonEvent>(...ALL_EVENTS);
const isFinal = (status: LessonStatus) =>
  ALL_EVENTS.every((event) => nextLessonStatus(status, event) === null);

describe("lesson states and events", () => {
  it("are exactly the expected ones, in the database enum's order", () => {
    expect([...LESSON_STATUSES]).toEqual([...ALL_STATUSES]);
    expect([...LESSON_EVENTS].sort()).toEqual([...ALL_EVENTS].sort());
    expect(lessonStatus.enumValues).toEqual([...ALL_STATUSES]);
  });
});

describe("nextLessonStatus: every state × every event", () => {
  const cases = ALL_STATUSES.flatMap((from) =>
    ALL_EVENTS.map((event) => ({ from, event, to: EXPECTED[from][event] })),
  );
  it("covers all 36 pairs", () => {
    expect(cases).toHaveLength(36);
  });
  it.each(cases)("$from --$event--> $to", ({ from, event, to }) => {
    expect(nextLessonStatus(from, event)).toBe(to);
  });
});

describe("final and live states", () => {
  it.each(ALL_STATUSES.map((status) => ({ status, final: FINAL.includes(status) })))(
    "$status final: $final",
    ({ status, final }) => {
      expect(isFinal(status)).toBe(final);
    },
  );

  it("live lessons (the exclusion constraints' WHERE) are held and booked", () => {
    expect([...LIVE_LESSON_STATUSES].sort()).toEqual([...LIVE].sort());
    for (const status of ALL_STATUSES) expect(isLiveLesson(status)).toBe(LIVE.includes(status));
  });

  it("live and final partition the states", () => {
    for (const status of ALL_STATUSES) expect(LIVE.includes(status)).toBe(!isFinal(status));
  });

  it("final states absorb every sequence of events", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL), fc.array(eventArb), (status, events) => {
        for (const event of events) expect(nextLessonStatus(status, event)).toBeNull();
      }),
    );
  });
});

function walk(start: LessonStatus, events: LessonEvent[]): LessonStatus[] {
  const path = [start];
  for (const event of events) {
    const next = nextLessonStatus(path[path.length - 1]!, event);
    if (next !== null) path.push(next);
  }
  return path;
}

describe("random event sequences", () => {
  it("never leave the set of states", () => {
    fc.assert(
      fc.property(statusArb, fc.array(eventArb, { maxLength: 40 }), (start, events) => {
        for (const status of walk(start, events)) expect(ALL_STATUSES).toContain(status);
      }),
    );
  });

  it("never come back to held, and loop only through reschedule (booked → booked)", () => {
    fc.assert(
      fc.property(statusArb, fc.array(eventArb, { maxLength: 40 }), (start, events) => {
        const path = walk(start, events);
        expect(path.slice(1)).not.toContain("held");
        // Collapse reschedules: what remains visits each state at most once.
        const collapsed = path.filter((s, i) => i === 0 || s !== path[i - 1]);
        expect(new Set(collapsed).size).toBe(collapsed.length);
      }),
    );
  });

  it("from held reach every state", () => {
    const reached = new Set<LessonStatus>();
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 8 }), (events) => {
        for (const status of walk("held", events)) reached.add(status);
      }),
      { numRuns: 1000 },
    );
    expect([...reached].sort()).toEqual([...ALL_STATUSES].sort());
  });
});
