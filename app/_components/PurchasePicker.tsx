"use client";

import { useId } from "react";
import type { Purchase } from "../../server/trade/orderPricing";
import {
  type PricedCourse,
  packageSizes,
  purchaseTotal,
  sellsSingleLessons,
} from "./checkoutParams";
import { formatMoney } from "./format";
import { LiveOffers, LiveTotal, useLivePrice } from "./LivePrice";
import { formatMinutes } from "./orderWords";

/** What the student buys: one lesson of the picked length, or a package of N hours. */
export type PurchaseChoice = { kind: "lesson" } | { kind: "package"; hours: number };

/** The choices a course offers, single lesson first (when it sells them), then packages. */
export function purchaseChoices(course: Pick<PricedCourse, "packages">): PurchaseChoice[] {
  return [
    ...(sellsSingleLessons(course) ? [{ kind: "lesson" } as const] : []),
    ...packageSizes(course).map((hours) => ({ kind: "package", hours }) as const),
  ];
}

/** `choice` if the course offers it, else the course's first choice. */
export function validChoice(
  course: Pick<PricedCourse, "packages">,
  choice: PurchaseChoice | null,
): PurchaseChoice | null {
  const choices = purchaseChoices(course);
  return choices.find((c) => choice && sameChoice(c, choice)) ?? choices[0] ?? null;
}

export const sameChoice = (a: PurchaseChoice, b: PurchaseChoice) =>
  a.kind === "lesson" ? b.kind === "lesson" : b.kind === "package" && a.hours === b.hours;

export function purchaseOf(choice: PurchaseChoice, lessonSlots: number): Purchase {
  return choice.kind === "lesson" ? { kind: "lesson", slots: lessonSlots } : choice;
}

/**
 * The course (when the teacher has several), what to buy with its price, and the total.
 * Single lessons cost the hourly price times the lesson's length. The total is the live best
 * price (promotions, and for a signed-in student their coupon), with the offers behind it.
 */
export function PurchasePicker(props: {
  courses: readonly PricedCourse[];
  course: PricedCourse;
  onCourse: (courseId: string) => void;
  choice: PurchaseChoice;
  onChoice: (choice: PurchaseChoice) => void;
  lessonSlots: number;
}) {
  const { course, choice, lessonSlots } = props;
  const ids = useId();
  const money = (minor: number) => formatMoney(minor, course.currency);
  const purchase = purchaseOf(choice, lessonSlots);
  const total = purchaseTotal(course, purchase);
  const live = useLivePrice(course.courseId, purchase);

  return (
    <div className="purchase-picker" data-testid="purchase-picker">
      {props.courses.length > 1 && (
        <label className="purchase-course">
          <span>Course</span>
          <select value={course.courseId} onChange={(e) => props.onCourse(e.target.value)}>
            {props.courses.map((c) => (
              <option key={c.courseId} value={c.courseId}>
                {c.title} · {formatMoney(c.pricePerHour, c.currency)}/h
              </option>
            ))}
          </select>
        </label>
      )}
      <fieldset className="purchase-options">
        <legend>What to buy</legend>
        {purchaseChoices(course).map((c) => {
          const key = c.kind === "lesson" ? "lesson" : String(c.hours);
          const price = purchaseTotal(course, purchaseOf(c, lessonSlots));
          return (
            <label key={key} className="purchase-option">
              <input
                type="radio"
                name={`${ids}-purchase`}
                value={key}
                checked={sameChoice(c, choice)}
                onChange={() => props.onChoice(c)}
              />
              <span>
                {c.kind === "lesson"
                  ? `Single lesson (${formatMinutes(lessonSlots)})`
                  : `${c.hours} hours`}
              </span>
              <span className="purchase-price">{money(price)}</span>
            </label>
          );
        })}
      </fieldset>
      <LiveTotal listAmount={total} currency={course.currency} live={live.data ?? null} />
      <LiveOffers live={live.data ?? null} />
    </div>
  );
}
