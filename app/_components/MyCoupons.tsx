"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { AppRouter } from "../../server/api/root";
import { useTRPC } from "../_trpc/client";
import { dateWords, discountWords, newRequestKey } from "./couponWords";

type Mine = inferRouterOutputs<AppRouter>["coupons"]["mine"];
type Coupon = Mine["available"][number];

const STATUS_WORDS: Record<string, string> = {
  available: "Available",
  locked: "Held by an unpaid order",
  used: "Used",
  expired: "Expired",
  void: "Withdrawn",
};

const GROUPS: { key: keyof Mine; title: string; empty: string }[] = [
  { key: "available", title: "Available", empty: "No coupons to use right now." },
  { key: "used", title: "Used", empty: "You have not used a coupon yet." },
  { key: "ended", title: "Expired or withdrawn", empty: "None." },
];

/** /me/coupons: claim by code, and the student's coupons by state. */
export function MyCoupons() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.coupons.mine.queryOptions());
  return (
    <>
      <ClaimByCode />
      {mine.isPending ? (
        <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />
      ) : mine.isError ? (
        <p className="notice" role="alert">
          {mine.error.message}
        </p>
      ) : (
        GROUPS.map((g) => (
          <section
            key={g.key}
            aria-labelledby={`coupons-${g.key}`}
            data-testid={`coupons-${g.key}`}
          >
            <h2 id={`coupons-${g.key}`}>
              {g.title} <span className="muted">({mine.data[g.key].length})</span>
            </h2>
            {mine.data[g.key].length === 0 ? (
              <p className="muted">{g.empty}</p>
            ) : (
              <ul style={{ listStyle: "none", padding: 0 }}>
                {mine.data[g.key].map((c) => (
                  <CouponItem key={c.id} coupon={c} />
                ))}
              </ul>
            )}
          </section>
        ))
      )}
    </>
  );
}

function CouponItem({ coupon }: { coupon: Coupon }) {
  return (
    <li className="card" data-testid="coupon" data-status={coupon.status} data-code={coupon.code}>
      <strong>{coupon.title}</strong> — {discountWords(coupon.discount)}
      <br />
      <code>{coupon.code}</code>{" "}
      <span className="badge">{STATUS_WORDS[coupon.status] ?? coupon.status}</span>{" "}
      <span className="muted small">
        {coupon.usedAt
          ? `used ${dateWords(coupon.usedAt)}`
          : `valid ${dateWords(coupon.validFrom)} – ${dateWords(coupon.validUntil)}`}
      </span>
    </li>
  );
}

function ClaimByCode() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [key, setKey] = useState(newRequestKey);
  const claim = useMutation(
    trpc.coupons.claim.mutationOptions({
      onSuccess: () => {
        setCode("");
        setKey(newRequestKey());
        void queryClient.invalidateQueries({ queryKey: trpc.coupons.mine.queryKey() });
      },
      onError: () => setKey(newRequestKey()),
    }),
  );
  return (
    <form
      className="card"
      aria-label="Claim a coupon by code"
      data-testid="claim-by-code"
      onSubmit={(e) => {
        e.preventDefault();
        claim.mutate({ claimCode: code, requestKey: key });
      }}
    >
      <label>
        Have a coupon code?{" "}
        <input
          name="claimCode"
          value={code}
          autoComplete="off"
          onChange={(e) => {
            setCode(e.target.value);
            setKey(newRequestKey());
          }}
          required
        />
      </label>{" "}
      <button type="submit" className="button small" disabled={claim.isPending}>
        {claim.isPending ? "Claiming…" : "Claim"}
      </button>
      {claim.isSuccess && (
        <p role="status" className="muted">
          Claimed “{claim.data.title}”: {claim.data.coupon.code}
        </p>
      )}
      {claim.isError && (
        <p className="error" role="alert">
          {claim.error.message}
        </p>
      )}
    </form>
  );
}
