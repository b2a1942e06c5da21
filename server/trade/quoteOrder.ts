import type { Executor } from "../../db/client";
import { DomainError } from "../domainError";
import { type CheckoutQuote, checkoutQuote } from "../marketing/checkoutQuote";
import { type Purchase, priceOrder, slotsOfPurchase } from "./orderPricing";
import { courseOnSale } from "./placeOrder";

export interface OrderQuote extends CheckoutQuote {
  currency: string;
}

/**
 * What checkout shows before the order is placed: the list price of the purchase and the
 * offers it would get (marketing's checkoutQuote: the suggested best price, the price without
 * a coupon, each of the student's coupons). placeOrder prices the same way, under locks.
 */
export async function quoteOrder(
  db: Executor,
  studentId: string,
  input: { teacherId: string; courseId: string; purchase: Purchase },
  now = new Date(),
): Promise<OrderQuote> {
  const course = await courseOnSale(db, input.courseId);
  if (!course || course.teacherId !== input.teacherId || course.courseStatus !== "active") {
    throw new DomainError("invalid", "This teacher does not offer that course", "courseId");
  }
  const { listAmount } = priceOrder(course.pricePerHour, slotsOfPurchase(input.purchase));
  const quote = await checkoutQuote(
    db,
    {
      studentId,
      courseId: course.courseId,
      teacherId: course.teacherId,
      subjectSlug: course.subjectSlug,
      purchase: input.purchase,
      listAmount,
      currency: course.currency,
    },
    now,
  );
  return { ...quote, currency: course.currency };
}
