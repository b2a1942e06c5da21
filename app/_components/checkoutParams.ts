import { isSnowflakeId } from "../../server/ids/snowflake";
import { SLOT_MS } from "../../server/inventory/slotBitmap";
import { MAX_LESSON_SLOTS, MIN_LESSON_SLOTS } from "../../server/trade/bookingRules";
import {
  type Purchase,
  priceOrder,
  SINGLE_LESSON_HOURS,
  slotsOfPurchase,
} from "../../server/trade/orderPricing";

/**
 * The checkout page's URL, built by the studio page and read back by the checkout page:
 *
 *   /checkout?teacher=<id>&course=<id>&start=<ISO>&slots=<n>&package=lesson   a single lesson
 *   /checkout?teacher=<id>&course=<id>&start=<ISO>&slots=<n>&package=<hours>  a package, first lesson booked
 *   /checkout?teacher=<id>&course=<id>&package=<hours>                        a package, no lesson yet
 *
 * plus `&order=<id>` once the page has been issued its order id. Pure: no I/O, no React.
 */
export interface CheckoutRequest {
  teacherId: string;
  courseId: string;
  purchase: Purchase;
  /** Book now: the first lesson; null when only hours are bought. */
  lesson: { start: Date; slots: number } | null;
  /** Issued by the server when the page opened; null until then. */
  orderId: string | null;
}

/** One thing wrong with the URL: the parameter, and what is wrong with it ("param: message"). */
export interface CheckoutParamError {
  param: "teacher" | "course" | "package" | "start" | "slots" | "order";
  message: string;
}

export type ParsedCheckout =
  | { ok: true; request: CheckoutRequest }
  | { ok: false; errors: CheckoutParamError[] };

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** The most hours one package may hold (the trade router's limit). */
export const MAX_PACKAGE_HOURS = 100;

/** "2025-11-24T10:00:00.000Z" or with an offset; never a zone-less local time. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The instant an ISO 8601 text names, or null; impossible dates (30 February) are null. */
function parseInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second = "0", offH = "0", offM = "0"] = m
    .slice(1)
    .map((v) => v ?? undefined);
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const realDay =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day);
  const realTime =
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    Number(offH) < 24 &&
    Number(offM) < 60;
  const at = new Date(text);
  return realDay && realTime && !Number.isNaN(at.getTime()) ? at : null;
}
const DIGITS = /^[0-9]{1,3}$/;

/** "a single 60-minute lesson" / "10 hours": what is bought, in words. */
export function describePurchase(purchase: Purchase): string {
  return purchase.kind === "lesson"
    ? `a single ${purchase.slots * 30}-minute lesson`
    : `${purchase.hours} ${purchase.hours === 1 ? "hour" : "hours"}`;
}

export function parseCheckoutParams(raw: RawSearchParams): ParsedCheckout {
  const errors: CheckoutParamError[] = [];
  const repeated = new Set<string>();
  const one = (param: CheckoutParamError["param"]): string | undefined => {
    const value = raw[param];
    if (Array.isArray(value)) {
      repeated.add(param);
      errors.push({ param, message: "given more than once" });
      return undefined;
    }
    return value === "" ? undefined : value;
  };
  const missing = (param: CheckoutParamError["param"], what: string) => {
    if (!repeated.has(param)) {
      errors.push({ param, message: `missing: expected ${what}` });
    }
  };

  const teacher = one("teacher");
  if (teacher === undefined) missing("teacher", "a teacher id");
  else if (!isSnowflakeId(teacher)) {
    errors.push({ param: "teacher", message: "not a teacher id" });
  }

  const course = one("course");
  if (course === undefined) missing("course", "a course id");
  else if (!isSnowflakeId(course)) {
    errors.push({ param: "course", message: "not a course id" });
  }

  let purchase: Purchase | null = null;
  const pack = one("package");
  if (pack === undefined) missing("package", `"lesson" or a number of hours`);
  else if (pack !== "lesson") {
    const hours = DIGITS.test(pack) ? Number(pack) : Number.NaN;
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_PACKAGE_HOURS) {
      errors.push({
        param: "package",
        message: `expected "lesson" or a number of hours from 1 to ${MAX_PACKAGE_HOURS}`,
      });
    } else purchase = { kind: "package", hours };
  }

  const startText = one("start");
  let start: Date | null = null;
  if (startText !== undefined) {
    const at = parseInstant(startText);
    if (!at) {
      errors.push({
        param: "start",
        message: "not a time: expected an ISO 8601 instant such as 2026-03-02T09:30:00.000Z",
      });
    } else if (at.getTime() % SLOT_MS !== 0) {
      errors.push({ param: "start", message: "lessons start on the hour or half hour" });
    } else start = at;
  }

  const slotsText = one("slots");
  let slots: number | null = null;
  if (slotsText !== undefined) {
    const n = DIGITS.test(slotsText) ? Number(slotsText) : Number.NaN;
    if (!Number.isInteger(n) || n < MIN_LESSON_SLOTS || n > MAX_LESSON_SLOTS) {
      errors.push({
        param: "slots",
        message: `expected the lesson length in half hours, ${MIN_LESSON_SLOTS} to ${MAX_LESSON_SLOTS}`,
      });
    } else slots = n;
  }

  // A lesson needs both its start and its length; a single lesson needs a lesson.
  if (startText !== undefined && slotsText === undefined) {
    missing("slots", "the lesson length in half hours");
  }
  if (slotsText !== undefined && startText === undefined) {
    missing("start", "the lesson's start time");
  }
  if (pack === "lesson") {
    if (startText === undefined && slotsText === undefined) {
      missing("start", "the lesson's start time (a single lesson needs one)");
    }
    if (slots !== null) purchase = { kind: "lesson", slots };
  }
  if (purchase?.kind === "package" && slots !== null && slots > purchase.hours * 2) {
    errors.push({
      param: "slots",
      message: `A ${slots * 30}-minute lesson does not fit in a ${describePurchase(purchase)} package`,
    });
  }

  const orderText = one("order");
  if (orderText !== undefined && !isSnowflakeId(orderText)) {
    errors.push({ param: "order", message: "not an order id" });
  }

  if (errors.length > 0 || !teacher || !course || !purchase) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    request: {
      teacherId: teacher,
      courseId: course,
      purchase,
      lesson: start && slots ? { start, slots } : null,
      orderId: orderText ?? null,
    },
  };
}

/** The checkout URL for a request (its order id too, once it has one). */
export function checkoutHref(
  request: Omit<CheckoutRequest, "orderId"> & { orderId?: string | null },
) {
  const params = new URLSearchParams({ teacher: request.teacherId, course: request.courseId });
  if (request.lesson) {
    params.set("start", request.lesson.start.toISOString());
    params.set("slots", String(request.lesson.slots));
  }
  params.set(
    "package",
    request.purchase.kind === "lesson" ? "lesson" : String(request.purchase.hours),
  );
  if (request.orderId) params.set("order", request.orderId);
  return `/checkout?${params}`;
}

/** A course as the live price card shows it (`teachers.priceCard`). */
export interface PricedCourse {
  courseId: string;
  title: string;
  pricePerHour: number;
  currency: string;
  packages: { hours: number; amount: number }[];
}

/** Whether a course sells single lessons (1 among its package sizes). */
export const sellsSingleLessons = (course: Pick<PricedCourse, "packages">) =>
  course.packages.some((p) => p.hours === SINGLE_LESSON_HOURS);

/** Package sizes of more than one hour: what "buy a package" offers. */
export const packageSizes = (course: Pick<PricedCourse, "packages">) =>
  course.packages.filter((p) => p.hours > SINGLE_LESSON_HOURS).map((p) => p.hours);

/**
 * What an order for `purchase` of `course` costs, in minor units, computed by the same
 * function the server prices orders with (rounded once per order, never per half hour).
 */
export function purchaseTotal(course: Pick<PricedCourse, "pricePerHour">, purchase: Purchase) {
  return priceOrder(course.pricePerHour, slotsOfPurchase(purchase)).payableAmount;
}

/**
 * Checks a well-formed request against the teacher's live prices: the course is theirs and
 * sells what the URL asks for. Null when it does; otherwise what is wrong, naming the param.
 */
export function checkAgainstPrices(
  request: CheckoutRequest,
  courses: readonly PricedCourse[],
):
  | { course: PricedCourse; error: null }
  | { course: PricedCourse | null; error: CheckoutParamError } {
  const course = courses.find((c) => c.courseId === request.courseId) ?? null;
  if (!course) {
    return {
      course: null,
      error: { param: "course", message: "This teacher does not offer that course (any more)" },
    };
  }
  const { purchase } = request;
  if (purchase.kind === "lesson" && !sellsSingleLessons(course)) {
    return {
      course,
      error: { param: "package", message: "This course is sold in packages of hours only" },
    };
  }
  if (purchase.kind === "package" && !course.packages.some((p) => p.hours === purchase.hours)) {
    const sizes = course.packages.map((p) => p.hours).join(", ");
    return {
      course,
      error: {
        param: "package",
        message: `This course has no ${purchase.hours}-hour package (packages: ${sizes} hours)`,
      },
    };
  }
  return { course, error: null };
}
