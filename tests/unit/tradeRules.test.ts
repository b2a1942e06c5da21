import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../server/domainError";
import {
  cancellationReturnsHours,
  checkLessonTime,
  hasEnded,
  MAX_LESSON_SLOTS,
  MIN_LESSON_SLOTS,
} from "../../server/trade/bookingRules";
import { type LessonActions, lessonActions, type Viewer } from "../../server/trade/lessonActions";
import type { LessonStatus } from "../../server/trade/lessonStateMachine";
import { priceOrder, slotsOfPurchase } from "../../server/trade/orderPricing";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Catches what `fn` throws, failing the test when it throws nothing. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, nothing was thrown");
}

describe("slotsOfPurchase", () => {
  it("a single lesson buys its own length; a package buys whole hours", () => {
    expect(slotsOfPurchase({ kind: "lesson", slots: 1 })).toBe(1);
    expect(slotsOfPurchase({ kind: "lesson", slots: 3 })).toBe(3);
    expect(slotsOfPurchase({ kind: "package", hours: 10 })).toBe(20);
    expect(slotsOfPurchase({ kind: "package", hours: 100 })).toBe(200);
  });
});

describe("priceOrder", () => {
  it("prices whole hours exactly", () => {
    expect(priceOrder(3000, 2)).toEqual({
      listAmount: 3000,
      discountAmount: 0,
      payableAmount: 3000,
    });
    expect(priceOrder(3000, 200)).toEqual({
      listAmount: 300_000,
      discountAmount: 0,
      payableAmount: 300_000,
    });
  });

  it("rounds odd half hours once for the whole order, half a minor unit up", () => {
    // 25.01/h: one half hour is 12.505 → 12.51; three are 37.515 → 37.52 (not 3 × 12.51).
    expect(priceOrder(2501, 1).listAmount).toBe(1251);
    expect(priceOrder(2501, 3).listAmount).toBe(3752);
    expect(priceOrder(2501, 2).listAmount).toBe(2501);
    // Even prices never round.
    expect(priceOrder(2500, 3).listAmount).toBe(3750);
    expect(priceOrder(1, 1).listAmount).toBe(1);
  });

  it("clamps the discount between zero and the list price, in whole minor units", () => {
    expect(priceOrder(3000, 2, 500)).toEqual({
      listAmount: 3000,
      discountAmount: 500,
      payableAmount: 2500,
    });
    expect(priceOrder(3000, 2, -100)).toEqual({
      listAmount: 3000,
      discountAmount: 0,
      payableAmount: 3000,
    });
    expect(priceOrder(3000, 2, 5000)).toEqual({
      listAmount: 3000,
      discountAmount: 3000,
      payableAmount: 0,
    });
    expect(priceOrder(3000, 2, 3000).payableAmount).toBe(0);
    expect(priceOrder(3000, 2, 99.9).discountAmount).toBe(99);
    expect(priceOrder(3000, 2, Number.POSITIVE_INFINITY).discountAmount).toBe(3000);
  });

  it.each([
    ["zero price", 0, 2],
    ["negative price", -3000, 2],
    ["fractional price", 30.5, 2],
    ["NaN price", Number.NaN, 2],
    ["infinite price", Number.POSITIVE_INFINITY, 2],
    ["zero slots", 3000, 0],
    ["negative slots", 3000, -2],
    ["fractional slots", 3000, 1.5],
    ["NaN slots", 3000, Number.NaN],
  ])("refuses %s", (_name, price, slots) => {
    expect(() => priceOrder(price, slots)).toThrow(RangeError);
  });

  it("refuses a NaN discount instead of writing NaN amounts", () => {
    expect(() => priceOrder(3000, 2, Number.NaN)).toThrow(RangeError);
  });

  it("always: integer amounts, payable = list − discount, 0 ≤ discount ≤ list, within ½ unit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: -1_000_000, max: 200_000_000 }),
        (price, slots, discount) => {
          const a = priceOrder(price, slots, discount);
          expect(Number.isInteger(a.listAmount)).toBe(true);
          expect(Number.isInteger(a.discountAmount)).toBe(true);
          expect(a.payableAmount).toBe(a.listAmount - a.discountAmount);
          expect(a.discountAmount).toBeGreaterThanOrEqual(0);
          expect(a.discountAmount).toBeLessThanOrEqual(a.listAmount);
          expect(Math.abs(a.listAmount - (price * slots) / 2)).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});

describe("checkLessonTime", () => {
  /** An aligned "now" so that "exactly now" and "exactly the notice" are slot starts. */
  const NOW = new Date("2030-03-10T10:00:00Z");
  const rules = { now: NOW, minNoticeMinutes: 120, horizonDays: 366 };
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  function errorOf(range: { start: Date; slots: number }, r = rules, field?: string) {
    const error = thrownBy(() => checkLessonTime(range, r, field));
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  it("accepts 1 to 4 aligned slots between the notice and the horizon", () => {
    expect(MIN_LESSON_SLOTS).toBe(1);
    expect(MAX_LESSON_SLOTS).toBe(4);
    for (const slots of [1, 2, 3, 4]) {
      expect(() => checkLessonTime({ start: at(DAY), slots }, rules)).not.toThrow();
    }
  });

  it.each([0, 5, -1, 1.5, Number.NaN])(
    "refuses a length of %s slots, naming its field",
    (slots) => {
      const error = errorOf({ start: at(DAY), slots });
      expect(error).toMatchObject({ kind: "invalid", field: "slots" });
      expect(error.message).toMatch(/30, 60, 90 or 120 minutes/);
      // At checkout the times are under `lesson`: the length is `lesson.slots`.
      expect(errorOf({ start: at(DAY), slots }, rules, "lesson.start")).toMatchObject({
        field: "lesson.slots",
      });
    },
  );

  it("refuses a start off the half-hour grid, naming the field", () => {
    for (const offset of [MIN, 15 * MIN, 29 * MIN + 59_999, 1]) {
      const start = at(DAY + offset);
      expect(errorOf({ start, slots: 1 })).toMatchObject({ kind: "invalid", field: "start" });
      expect(errorOf({ start, slots: 1 }, rules, "lesson.start")).toMatchObject({
        field: "lesson.start",
      });
    }
  });

  it("refuses the past and the present", () => {
    for (const start of [at(0), at(-30 * MIN), at(-400 * DAY)]) {
      const error = errorOf({ start, slots: 2 }, rules, "lesson.start");
      expect(error).toMatchObject({ kind: "invalid", field: "lesson.start" });
      expect(error.message).toMatch(/past/);
    }
    // With no notice, the next half hour is fine but now itself is not.
    const noNotice = { ...rules, minNoticeMinutes: 0 };
    expect(errorOf({ start: at(0), slots: 1 }, noNotice).message).toMatch(/past/);
    expect(() => checkLessonTime({ start: at(30 * MIN), slots: 1 }, noNotice)).not.toThrow();
  });

  it("refuses a start inside the minimum notice; exactly the notice is fine", () => {
    const inside = errorOf({ start: at(90 * MIN), slots: 1 });
    expect(inside).toMatchObject({ kind: "invalid", field: "start" });
    expect(inside.message).toMatch(/at least 2 hours notice/);
    expect(() => checkLessonTime({ start: at(120 * MIN), slots: 1 }, rules)).not.toThrow();

    const hour = { ...rules, minNoticeMinutes: 60 };
    expect(errorOf({ start: at(30 * MIN), slots: 1 }, hour).message).toMatch(/1 hour notice/);
    const odd = { ...rules, minNoticeMinutes: 90 };
    expect(errorOf({ start: at(60 * MIN), slots: 1 }, odd).message).toMatch(/90 minutes notice/);
    expect(() => checkLessonTime({ start: at(90 * MIN), slots: 1 }, odd)).not.toThrow();
  });

  it("refuses a start beyond the horizon; exactly the horizon is fine", () => {
    expect(() => checkLessonTime({ start: at(366 * DAY), slots: 4 }, rules)).not.toThrow();
    const beyond = errorOf({ start: at(366 * DAY + 30 * MIN), slots: 1 }, rules, "start");
    expect(beyond).toMatchObject({ kind: "invalid", field: "start" });
    expect(beyond.message).toMatch(/366 days ahead/);
  });

  it("checks the length before the time", () => {
    expect(errorOf({ start: at(-DAY + 1), slots: 9 })).toMatchObject({ field: "slots" });
  });

  it("accepts exactly the aligned starts in (now + notice, now + horizon]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 400 * 48 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 7 * 24 * 2 }).map((halfHours) => halfHours * 30),
        (slotOffset, slots, notice) => {
          const start = at(slotOffset * 30 * MIN);
          const r = { now: NOW, minNoticeMinutes: notice, horizonDays: 366 };
          const ok =
            start.getTime() > NOW.getTime() &&
            start.getTime() >= NOW.getTime() + notice * MIN &&
            start.getTime() <= NOW.getTime() + 366 * DAY;
          if (ok) expect(() => checkLessonTime({ start, slots }, r)).not.toThrow();
          else expect(errorOf({ start, slots }, r)).toMatchObject({ field: "start" });
        },
      ),
    );
  });
});

describe("cancellationReturnsHours", () => {
  const start = new Date("2030-03-10T10:00:00Z");
  const ahead = (ms: number) => new Date(start.getTime() - ms);

  it("student: exactly the window before the start returns; a millisecond later forfeits", () => {
    expect(cancellationReturnsHours("student", start, ahead(24 * HOUR), 24)).toBe(true);
    expect(cancellationReturnsHours("student", start, ahead(24 * HOUR + 1), 24)).toBe(true);
    expect(cancellationReturnsHours("student", start, ahead(24 * HOUR - 1), 24)).toBe(false);
    expect(cancellationReturnsHours("student", start, ahead(HOUR), 24)).toBe(false);
    expect(cancellationReturnsHours("student", start, ahead(30 * DAY), 24)).toBe(true);
  });

  it("student with another window, including none", () => {
    expect(cancellationReturnsHours("student", start, ahead(12 * HOUR), 12)).toBe(true);
    expect(cancellationReturnsHours("student", start, ahead(12 * HOUR - 1), 12)).toBe(false);
    expect(cancellationReturnsHours("student", start, ahead(0), 0)).toBe(true);
    expect(cancellationReturnsHours("student", start, ahead(-1), 0)).toBe(false);
  });

  it("teacher and admin always return the hours", () => {
    for (const by of ["teacher", "admin"] as const) {
      for (const ms of [30 * DAY, 24 * HOUR, HOUR, 1, 0, -HOUR]) {
        expect(cancellationReturnsHours(by, start, ahead(ms), 24)).toBe(true);
      }
    }
  });
});

describe("hasEnded", () => {
  const start = new Date("2030-03-10T10:00:00Z");
  it("exactly at the end, not a millisecond before", () => {
    for (const slots of [1, 2, 3, 4]) {
      const end = start.getTime() + slots * 30 * MIN;
      expect(hasEnded(start, slots, new Date(end))).toBe(true);
      expect(hasEnded(start, slots, new Date(end + 1))).toBe(true);
      expect(hasEnded(start, slots, new Date(end - 1))).toBe(false);
      expect(hasEnded(start, slots, start)).toBe(false);
      expect(hasEnded(start, slots, new Date(start.getTime() - DAY))).toBe(false);
    }
  });
});

describe("lessonActions", () => {
  const NOW = new Date("2030-03-10T10:00:00Z");
  const WINDOW = 24;
  type Position =
    | "week ahead"
    | "window exactly"
    | "inside window"
    | "starting"
    | "during"
    | "just ended"
    | "long past";
  /** Where a 60-minute lesson starts relative to now. */
  const POSITIONS: Record<Position, number> = {
    "week ahead": 7 * DAY,
    "window exactly": 24 * HOUR,
    "inside window": 2 * HOUR,
    starting: 0,
    during: -30 * MIN,
    "just ended": -60 * MIN,
    "long past": -3 * DAY,
  };
  const STATUSES: LessonStatus[] = [
    "held",
    "booked",
    "completed",
    "no_show",
    "cancelled",
    "expired",
  ];
  const NONE = "";

  /**
   * Written out: the buttons shown for a booked lesson, by viewer and position
   * (space-separated names of the actions that are true).
   */
  const BOOKED: Record<Viewer, Record<Position, string>> = {
    student: {
      "week ahead": "reschedule cancel",
      "window exactly": "reschedule cancel",
      "inside window": "cancel cancelForfeits",
      starting: NONE,
      during: NONE,
      "just ended": NONE,
      "long past": NONE,
    },
    teacher: {
      "week ahead": "cancel",
      "window exactly": "cancel",
      "inside window": "cancel",
      starting: NONE,
      during: NONE,
      "just ended": "complete",
      "long past": "complete",
    },
  };

  function expected(status: LessonStatus, viewer: Viewer, position: Position, reviewed: boolean) {
    if (status === "booked") return BOOKED[viewer][position];
    if (status === "completed" && viewer === "student" && !reviewed) return "review";
    return NONE;
  }

  const shown = (actions: LessonActions) =>
    (Object.keys(actions) as (keyof LessonActions)[]).filter((k) => actions[k]).join(" ");

  const cases = STATUSES.flatMap((status) =>
    (["student", "teacher"] as const).flatMap((viewer) =>
      (Object.keys(POSITIONS) as Position[]).flatMap((position) =>
        [false, true].map((reviewed) => ({ status, viewer, position, reviewed })),
      ),
    ),
  );

  it.each(cases)(
    "$status lesson, $viewer, $position, reviewed=$reviewed",
    ({ status, viewer, position, reviewed }) => {
      const lesson = {
        status,
        startsAt: new Date(NOW.getTime() + POSITIONS[position]),
        slots: 2,
        reviewed,
      };
      expect(shown(lessonActions(lesson, viewer, NOW, WINDOW))).toBe(
        expected(status, viewer, position, reviewed),
      );
    },
  );

  it("never offers contradictory actions", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.constantFrom<Viewer>("student", "teacher"),
        fc.integer({ min: -10 * 48, max: 10 * 48 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 72 }),
        (status, viewer, offset, slots, reviewed, window) => {
          const lesson = {
            status,
            startsAt: new Date(NOW.getTime() + offset * 30 * MIN),
            slots,
            reviewed,
          };
          const a = lessonActions(lesson, viewer, NOW, window);
          if (a.cancelForfeits || a.reschedule) expect(a.cancel).toBe(true);
          expect(a.reschedule && a.cancelForfeits).toBe(false);
          expect(a.cancel && a.complete).toBe(false);
          if (viewer === "teacher") {
            expect(a.reschedule || a.review || a.cancelForfeits).toBe(false);
          } else {
            expect(a.complete).toBe(false);
          }
          // The forfeit warning agrees with the rule the cancel service applies.
          if (a.cancel && viewer === "student") {
            expect(a.cancelForfeits).toBe(
              !cancellationReturnsHours("student", lesson.startsAt, NOW, window),
            );
          }
        },
      ),
    );
  });
});
