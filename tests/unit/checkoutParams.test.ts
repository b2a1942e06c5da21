import { describe, expect, it } from "vitest";
import {
  type CheckoutRequest,
  checkAgainstPrices,
  checkoutHref,
  describePurchase,
  type PricedCourse,
  parseCheckoutParams,
  purchaseTotal,
} from "../../app/_components/checkoutParams";

const TEACHER = "4194304";
const COURSE = "419430400";
const ORDER = "1234567890123";
const START = "2026-03-02T09:30:00.000Z";

/** The query string of a URL as the page receives it (repeated keys become arrays). */
function query(search: string) {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = out[key];
    out[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

const params = (search: string) => parseCheckoutParams(query(search));
const errorsOf = (search: string) => {
  const parsed = params(search);
  if (parsed.ok) throw new Error(`expected errors for ${search}`);
  return parsed.errors;
};
const paramsNamed = (search: string) => errorsOf(search).map((e) => e.param);

describe("parseCheckoutParams", () => {
  it("reads a single lesson", () => {
    expect(
      params(`teacher=${TEACHER}&course=${COURSE}&start=${START}&slots=2&package=lesson`),
    ).toEqual({
      ok: true,
      request: {
        teacherId: TEACHER,
        courseId: COURSE,
        purchase: { kind: "lesson", slots: 2 },
        lesson: { start: new Date(START), slots: 2 },
        orderId: null,
      },
    });
  });

  it("reads a package with its first lesson, and a package alone", () => {
    const withLesson = params(
      `teacher=${TEACHER}&course=${COURSE}&start=${START}&slots=3&package=10&order=${ORDER}`,
    );
    expect(withLesson).toMatchObject({
      ok: true,
      request: {
        purchase: { kind: "package", hours: 10 },
        lesson: { start: new Date(START), slots: 3 },
        orderId: ORDER,
      },
    });
    expect(params(`teacher=${TEACHER}&course=${COURSE}&package=100`)).toMatchObject({
      ok: true,
      request: { purchase: { kind: "package", hours: 100 }, lesson: null, orderId: null },
    });
  });

  it("accepts a start written with an offset (the same instant)", () => {
    const parsed = params(
      `teacher=${TEACHER}&course=${COURSE}&start=2026-03-02T10:30%2B01:00&slots=1&package=lesson`,
    );
    expect(parsed.ok && parsed.request.lesson?.start.toISOString()).toBe(START);
  });

  it("names every missing parameter", () => {
    expect(paramsNamed("")).toEqual(["teacher", "course", "package"]);
    expect(paramsNamed(`teacher=${TEACHER}&course=${COURSE}&package=lesson`)).toEqual(["start"]);
    expect(
      paramsNamed(`teacher=${TEACHER}&course=${COURSE}&start=${START}&package=lesson`),
    ).toEqual(["slots"]);
    expect(paramsNamed(`teacher=${TEACHER}&course=${COURSE}&slots=2&package=10`)).toEqual([
      "start",
    ]);
    expect(errorsOf(`course=${COURSE}&package=10`)).toEqual([
      { param: "teacher", message: "missing: expected a teacher id" },
    ]);
  });

  it("names each malformed parameter", () => {
    expect(paramsNamed(`teacher=abc&course=${COURSE}&package=10`)).toEqual(["teacher"]);
    expect(paramsNamed(`teacher=${TEACHER}&course=0&package=10`)).toEqual(["course"]);
    for (const pack of ["0", "101", "1.5", "-3", "ten", "1e1"]) {
      expect(paramsNamed(`teacher=${TEACHER}&course=${COURSE}&package=${pack}`)).toEqual([
        "package",
      ]);
    }
    for (const slots of ["0", "5", "2.0", "x"]) {
      expect(
        paramsNamed(`teacher=${TEACHER}&course=${COURSE}&start=${START}&slots=${slots}&package=10`),
      ).toEqual(["slots"]);
    }
    expect(paramsNamed(`teacher=${TEACHER}&course=${COURSE}&package=10&order=12x`)).toEqual([
      "order",
    ]);
  });

  it("refuses a start that is not an instant on the hour or half hour", () => {
    for (const start of ["tomorrow", "2026-03-02", "2026-03-02T09:30", "2026-02-30T09:30Z"]) {
      expect(
        paramsNamed(`teacher=${TEACHER}&course=${COURSE}&start=${start}&slots=2&package=lesson`),
      ).toEqual(["start"]);
    }
    const errors = errorsOf(
      `teacher=${TEACHER}&course=${COURSE}&start=2026-03-02T09:15:00Z&slots=2&package=lesson`,
    );
    expect(errors).toEqual([{ param: "start", message: expect.stringContaining("half hour") }]);
  });

  it("refuses a lesson longer than the package", () => {
    expect(
      errorsOf(`teacher=${TEACHER}&course=${COURSE}&start=${START}&slots=3&package=1`),
    ).toEqual([{ param: "slots", message: "A 90-minute lesson does not fit in a 1 hour package" }]);
  });

  it("refuses a parameter given twice", () => {
    expect(errorsOf(`teacher=${TEACHER}&teacher=${TEACHER}&course=${COURSE}&package=10`)).toEqual([
      { param: "teacher", message: "given more than once" },
    ]);
  });

  it("round-trips through checkoutHref", () => {
    const requests: CheckoutRequest[] = [
      {
        teacherId: TEACHER,
        courseId: COURSE,
        purchase: { kind: "lesson", slots: 4 },
        lesson: { start: new Date(START), slots: 4 },
        orderId: null,
      },
      {
        teacherId: TEACHER,
        courseId: COURSE,
        purchase: { kind: "package", hours: 20 },
        lesson: { start: new Date(START), slots: 1 },
        orderId: ORDER,
      },
      {
        teacherId: TEACHER,
        courseId: COURSE,
        purchase: { kind: "package", hours: 60 },
        lesson: null,
        orderId: null,
      },
    ];
    for (const request of requests) {
      const href = checkoutHref(request);
      expect(href.startsWith("/checkout?")).toBe(true);
      expect(params(href.slice("/checkout?".length))).toEqual({ ok: true, request });
    }
  });

  it("writes the documented URL shape", () => {
    expect(
      checkoutHref({
        teacherId: TEACHER,
        courseId: COURSE,
        purchase: { kind: "lesson", slots: 2 },
        lesson: { start: new Date(START), slots: 2 },
      }),
    ).toBe(
      `/checkout?teacher=${TEACHER}&course=${COURSE}&start=${encodeURIComponent(START)}&slots=2&package=lesson`,
    );
  });
});

describe("checkAgainstPrices", () => {
  const course: PricedCourse = {
    courseId: COURSE,
    title: "Calculus I",
    pricePerHour: 4_500,
    currency: "EUR",
    packages: [1, 10, 20].map((hours) => ({ hours, amount: hours * 4_500 })),
  };
  const packagesOnly: PricedCourse = {
    ...course,
    courseId: "419430401",
    packages: course.packages.filter((p) => p.hours > 1),
  };
  const request = (over: Partial<CheckoutRequest>): CheckoutRequest => ({
    teacherId: TEACHER,
    courseId: COURSE,
    purchase: { kind: "lesson", slots: 2 },
    lesson: { start: new Date(START), slots: 2 },
    orderId: null,
    ...over,
  });

  it("accepts what the course sells", () => {
    expect(checkAgainstPrices(request({}), [course])).toEqual({ course, error: null });
    expect(
      checkAgainstPrices(request({ purchase: { kind: "package", hours: 20 } }), [course]),
    ).toEqual({ course, error: null });
  });

  it("names the course or the package when the teacher does not sell it", () => {
    expect(checkAgainstPrices(request({ courseId: "999" }), [course]).error?.param).toBe("course");
    expect(
      checkAgainstPrices(request({ courseId: packagesOnly.courseId }), [course, packagesOnly])
        .error,
    ).toEqual({ param: "package", message: "This course is sold in packages of hours only" });
    expect(
      checkAgainstPrices(request({ purchase: { kind: "package", hours: 60 } }), [course]).error,
    ).toEqual({
      param: "package",
      message: "This course has no 60-hour package (packages: 1, 10, 20 hours)",
    });
  });
});

describe("purchaseTotal and describePurchase", () => {
  it("prices a single lesson by its length and a package by its hours", () => {
    expect(purchaseTotal({ pricePerHour: 4_500 }, { kind: "lesson", slots: 1 })).toBe(2_250);
    expect(purchaseTotal({ pricePerHour: 4_500 }, { kind: "lesson", slots: 3 })).toBe(6_750);
    expect(purchaseTotal({ pricePerHour: 2_501 }, { kind: "lesson", slots: 3 })).toBe(3_752);
    expect(purchaseTotal({ pricePerHour: 4_500 }, { kind: "package", hours: 10 })).toBe(45_000);
  });

  it("says what is bought", () => {
    expect(describePurchase({ kind: "lesson", slots: 2 })).toBe("a single 60-minute lesson");
    expect(describePurchase({ kind: "package", hours: 1 })).toBe("1 hour");
    expect(describePurchase({ kind: "package", hours: 20 })).toBe("20 hours");
  });
});
