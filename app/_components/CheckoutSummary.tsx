import Link from "next/link";
import type { ReactNode } from "react";
import type { PriceQuoteData } from "./CheckoutOffers";
import type { SummaryRow } from "./checkoutErrors";
import { type CheckoutRequest, type PricedCourse, purchaseTotal } from "./checkoutParams";
import { formatMoney } from "./format";
import { LessonTime } from "./LessonTime";
import { formatMinutes } from "./orderWords";
import { zoneName } from "./useViewerTimeZone";

/**
 * What the student is about to order: teacher, course, hourly price, what is bought, the
 * lesson time in the student's own zone (named), and the total. A detail the server refused
 * carries its message beside it (`rowErrors`).
 */
export function CheckoutSummary(props: {
  request: CheckoutRequest;
  teacherName: string;
  course: PricedCourse;
  /** The viewer's zone; null until known in the browser. */
  zone: string | null;
  rowErrors?: Partial<Record<SummaryRow, string>>;
  /** The price with the offers chosen (a student's checkout); without it, the list total. */
  price?: PriceQuoteData | null;
}) {
  const { request, course, zone } = props;
  const { purchase, lesson } = request;
  const money = (minor: number) => formatMoney(minor, course.currency);
  const errors = props.rowErrors ?? {};

  return (
    <dl className="checkout-summary" data-testid="checkout-summary">
      <Row label="Teacher" error={errors.teacher}>
        <Link href={`/teachers/${request.teacherId}`}>{props.teacherName}</Link>
      </Row>
      <Row label="Course" error={errors.course}>
        {course.title}
      </Row>
      <Row label="Price per hour">{money(course.pricePerHour)}</Row>
      <Row label="You buy" error={errors.purchase}>
        {purchase.kind === "lesson" ? (
          <>One lesson of {formatMinutes(purchase.slots)}</>
        ) : (
          <>
            A package of {purchase.hours} hours
            <span className="muted small">
              {lesson
                ? ` — this first lesson uses ${formatMinutes(lesson.slots)} of them; book the rest from your order`
                : " — book lessons from your order once it is paid"}
            </span>
          </>
        )}
      </Row>
      <Row label="Lesson" error={errors.lesson} testId="checkout-lesson">
        {!lesson ? (
          <span className="muted">None booked yet</span>
        ) : zone ? (
          <>
            <LessonTime start={lesson.start} slots={lesson.slots} zone={zone} withLength />
            <br />
            <span className="muted small" data-testid="checkout-zone">
              Your time zone: {zoneName(zone)}
            </span>
          </>
        ) : (
          <span className="muted">…</span>
        )}
      </Row>
      {props.price && props.price.discounts.length > 0 && (
        <>
          <Row label="List price" testId="checkout-list">
            {money(props.price.listAmount)}
          </Row>
          {props.price.discounts.map((d) => (
            <Row
              key={d.source}
              label={d.source === "coupon" ? "Coupon" : "Promotion"}
              testId={`checkout-discount-${d.source}`}
            >
              {d.title}: −{money(d.amount)}
            </Row>
          ))}
        </>
      )}
      <Row label="Total" testId="checkout-total" total>
        <strong>{money(props.price?.payable ?? purchaseTotal(course, purchase))}</strong>
      </Row>
    </dl>
  );
}

function Row(props: {
  label: string;
  children: ReactNode;
  error?: string;
  testId?: string;
  total?: boolean;
}) {
  return (
    <div
      className={props.total ? "checkout-row checkout-total" : "checkout-row"}
      data-testid={props.testId}
      data-invalid={props.error ? "" : undefined}
    >
      <dt>{props.label}</dt>
      <dd>
        {props.children}
        {props.error && (
          <span className="error small checkout-row-error" role="alert">
            {props.error}
          </span>
        )}
      </dd>
    </div>
  );
}
