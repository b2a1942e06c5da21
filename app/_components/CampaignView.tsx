"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";
import { signInHref } from "./callbackUrl";
import { dateWords, discountWords, newRequestKey } from "./couponWords";

/**
 * /campaigns/[batchId]: a public coupon campaign. Visitors are asked to sign in; students
 * claim with one button (a request key per attempt, so a double click or a retry gets the
 * same coupon); the server's refusal (sold out, paused, already claimed) is shown as it says.
 */
export function CampaignView(props: { batchId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: session, status } = useSession();
  const role = (session?.user as { role?: string } | undefined)?.role;
  const campaign = useQuery(trpc.coupons.campaign.queryOptions({ batchId: props.batchId }));
  const [key, setKey] = useState(newRequestKey);
  const claim = useMutation(
    trpc.coupons.claim.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.coupons.campaign.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.coupons.mine.queryKey() });
      },
      // A refused claim is over: the next press is a new attempt.
      onError: () => setKey(newRequestKey()),
    }),
  );

  if (campaign.isPending) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (campaign.isError) {
    return (
      <p className="notice" role="alert">
        {campaign.error.message}
      </p>
    );
  }
  const c = campaign.data;
  const path = `/campaigns/${props.batchId}`;
  return (
    <div className="card" data-testid="campaign">
      <h1>{c.title}</h1>
      <p className="lead" data-testid="campaign-discount">
        {discountWords(c.discount)}
      </p>
      {c.description && <p>{c.description}</p>}
      <p className="muted small">
        {c.validDaysAfterClaim !== null
          ? `Valid for ${c.validDaysAfterClaim} days after you claim it.`
          : c.validUntil
            ? `Valid until ${dateWords(c.validUntil)}.`
            : null}{" "}
        {c.left !== null && <span data-testid="campaign-left">{c.left} left.</span>}{" "}
        {c.perUserLimit > 1 ? `Up to ${c.perUserLimit} per student.` : "One per student."}
      </p>
      {claim.isSuccess ? (
        <p className="notice" role="status" data-testid="claim-success">
          {claim.data.created ? "Claimed!" : "You already claimed this one."} Your code is{" "}
          <strong data-testid="claimed-code">{claim.data.coupon.code}</strong>.{" "}
          <Link href="/me/coupons">See your coupons →</Link>
        </p>
      ) : !c.claimable ? (
        <p className="notice" data-testid="campaign-closed">
          {c.closedReason}
        </p>
      ) : status === "loading" ? null : !session ? (
        <p className="notice" data-testid="sign-in-notice">
          <Link href={signInHref(path)}>Sign in</Link> as a student to claim this coupon.
        </p>
      ) : role !== "student" ? (
        <p className="notice">Coupons are claimed by students.</p>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="claim-button"
          disabled={claim.isPending}
          onClick={() => claim.mutate({ batchId: props.batchId, requestKey: key })}
        >
          {claim.isPending ? "Claiming…" : "Claim coupon"}
        </button>
      )}
      {claim.isError && (
        <p className="error" role="alert" data-testid="claim-error">
          {claim.error.message}
        </p>
      )}
    </div>
  );
}
