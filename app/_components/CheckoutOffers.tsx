"use client";

import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/api/root";
import { formatMoney } from "./format";
import { formatDate } from "./orderWords";

/** The checkout price (`trade.quote`): the suggested offers and the student's coupons. */
export type CheckoutQuoteData = inferRouterOutputs<AppRouter>["trade"]["quote"];
export type PriceQuoteData = CheckoutQuoteData["best"];

/** The student's coupon choice, as trade.placeOrder takes it. */
export type CouponChoice = "best" | "none" | (string & {});

/** The price the choice gives: the suggestion, no coupon, or the coupon picked. */
export function quoteOfChoice(quote: CheckoutQuoteData, choice: CouponChoice): PriceQuoteData {
  if (choice === "best") return quote.best;
  if (choice === "none") return quote.withoutCoupon;
  return quote.coupons.find((c) => c.couponId === choice)?.quote ?? quote.best;
}

/**
 * The coupon picker: the student's coupons that apply to this order, the best one preselected
 * (or "No coupon" when none helps), each with the total it gives; coupons that do not apply
 * are listed, disabled, so the student sees why they are not offered.
 */
export function CouponPicker(props: {
  quote: CheckoutQuoteData;
  choice: CouponChoice;
  onChoose: (choice: CouponChoice) => void;
  zone: string | null;
  disabled?: boolean;
}) {
  const { quote } = props;
  const money = (minor: number) => formatMoney(minor, quote.currency);
  if (quote.coupons.length === 0) return null;
  const selected = props.choice === "best" ? (quote.best.couponId ?? "none") : props.choice;
  const limitReached = quote.couponUsesLeftToday === 0;
  return (
    <fieldset className="checkout-coupons" data-testid="checkout-coupons">
      <legend>Coupon</legend>
      {limitReached && (
        <p className="notice small" role="status">
          You have used {quote.couponsPerDay} coupons today, the most allowed in a day.
        </p>
      )}
      {quote.coupons.map((c) => (
        <label key={c.couponId} className="checkout-coupon" data-testid={`coupon-${c.code}`}>
          <input
            type="radio"
            name="coupon"
            value={c.couponId}
            checked={selected === c.couponId}
            disabled={props.disabled || !c.quote || limitReached}
            onChange={() => props.onChoose(c.couponId)}
          />{" "}
          <strong>{c.title}</strong> <code>{c.code}</code>{" "}
          <span className="muted small">
            {c.quote ? `total ${money(c.quote.payable)}` : "does not apply to this order"} · valid
            until {formatDate(new Date(c.validUntil), props.zone ?? "UTC")}
            {c.couponId === quote.best.couponId ? " · best price" : ""}
          </span>
        </label>
      ))}
      <label className="checkout-coupon" data-testid="coupon-none">
        <input
          type="radio"
          name="coupon"
          value="none"
          checked={selected === "none"}
          disabled={props.disabled}
          onChange={() => props.onChoose("none")}
        />{" "}
        No coupon <span className="muted small">total {money(quote.withoutCoupon.payable)}</span>
      </label>
    </fieldset>
  );
}
