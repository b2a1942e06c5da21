"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Purchase } from "../../server/trade/orderPricing";
import { useTRPC } from "../_trpc/client";
import { formatMoney } from "./format";

/**
 * The live best price of what is chosen on the studio page (marketing.price): the list price
 * struck through when a promotion or the student's coupon brings it down, each discount, and
 * the promotions running on the course. The static page cannot know these (they change, and
 * coupons are per student), so the widget asks after load; until it answers — or if it fails —
 * the list price stands, which is what checkout would charge without offers.
 */
export function useLivePrice(courseId: string, purchase: Purchase) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.marketing.price.queryOptions({ courseId, purchase }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

type LivePriceData = NonNullable<ReturnType<typeof useLivePrice>["data"]>;

/** The total line: struck-through list price and the best price when discounted. */
export function LiveTotal(props: {
  listAmount: number;
  currency: string;
  live: LivePriceData | null;
}) {
  const money = (minor: number) => formatMoney(minor, props.currency);
  const live = props.live?.listAmount === props.listAmount ? props.live : null;
  const discounted = live !== null && live.payable < live.listAmount;
  return (
    <p className="purchase-total row between" data-testid="purchase-total" aria-live="polite">
      <span>Total</span>
      <span>
        {discounted && (
          <>
            <s className="muted" data-testid="list-price">
              <span className="sr-only">was </span>
              {money(live.listAmount)}
            </s>{" "}
          </>
        )}
        <strong>{money(discounted ? live.payable : props.listAmount)}</strong>
      </span>
    </p>
  );
}

/** Discount lines, the promotions running on the course, and the coupon that would apply. */
export function LiveOffers(props: { live: LivePriceData | null }) {
  const { live } = props;
  if (!live) return null;
  const money = (minor: number) => formatMoney(minor, live.currency);
  return (
    <div className="live-offers" data-testid="live-offers">
      {live.discounts.length > 0 && (
        <ul className="discount-lines small" data-testid="discount-lines">
          {live.discounts.map((d) => (
            <li key={`${d.source}-${d.id}`} className="row between">
              <span>
                {d.source === "coupon" ? "Your coupon: " : ""}
                {d.title}
              </span>
              <span>−{money(d.amount)}</span>
            </li>
          ))}
        </ul>
      )}
      {live.promotions.length > 0 && (
        <div className="promotion-list small" data-testid="course-promotions">
          <strong>Promotions on this course</strong>
          <ul>
            {live.promotions.map((p) => (
              <li key={p.id}>
                {p.title} — {p.words}{" "}
                <span className="muted">
                  until{" "}
                  {new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(p.endsAt)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {live.suggestedCoupon && (
        <p className="small" data-testid="suggested-coupon">
          Your coupon “{live.suggestedCoupon.title}” would take {money(live.suggestedCoupon.amount)}{" "}
          off at checkout.
        </p>
      )}
    </div>
  );
}
