"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useSession } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../_trpc/client";
import { forgetGuestCart, rememberGuestCart } from "../checkout/guestCartActions";
import { aRole, httpStatusOf } from "./AreaNotice";
import { type CouponChoice, CouponPicker, quoteOfChoice } from "./CheckoutOffers";
import { CheckoutSummary } from "./CheckoutSummary";
import { signInHref } from "./callbackUrl";
import { callFailureOf } from "./callFailure";
import { type CheckoutProblem, checkoutProblem } from "./checkoutErrors";
import {
  type CheckoutParamError,
  type CheckoutRequest,
  checkAgainstPrices,
  checkoutHref,
  type PricedCourse,
  parseCheckoutParams,
  type RawSearchParams,
} from "./checkoutParams";
import { useViewerTimeZone } from "./useViewerTimeZone";

/** The checkout page: reads its URL, then shows the order to confirm (or what is wrong). */
export function CheckoutView(props: { params: RawSearchParams }) {
  const parsed = parseCheckoutParams(props.params);
  if (!parsed.ok) return <CheckoutParamErrors errors={parsed.errors} />;
  return <Checkout request={parsed.request} />;
}

/** A link that cannot be checked out: every wrong or missing parameter, by name. */
function CheckoutParamErrors(props: { errors: CheckoutParamError[]; teacherId?: string }) {
  return (
    <div className="notice checkout-invalid" role="alert" data-testid="checkout-invalid">
      <p>
        <strong>This checkout link is not valid.</strong>
      </p>
      <ul>
        {props.errors.map((e) => (
          <li key={`${e.param}:${e.message}`} data-param={e.param}>
            <code>{e.param}</code>: {e.message}
          </li>
        ))}
      </ul>
      <p>
        {props.teacherId ? (
          <Link href={`/teachers/${props.teacherId}`}>Back to the teacher's page</Link>
        ) : (
          <Link href="/search">Find a teacher</Link>
        )}{" "}
        to choose again.
      </p>
    </div>
  );
}

function Checkout({ request }: { request: CheckoutRequest }) {
  const trpc = useTRPC();
  const studio = useQuery(trpc.teachers.byId.queryOptions({ id: request.teacherId }));
  const prices = useQuery(trpc.teachers.priceCard.queryOptions({ id: request.teacherId }));
  const zone = useViewerTimeZone();

  const failed = studio.error ?? prices.error;
  if (failed) {
    return httpStatusOf(failed) === 404 ? (
      <CheckoutParamErrors
        errors={[{ param: "teacher", message: "No teacher with this id is taking bookings" }]}
      />
    ) : (
      <p className="notice" role="alert">
        {failed.message}{" "}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void studio.refetch();
            void prices.refetch();
          }}
        >
          Try again
        </button>
      </p>
    );
  }
  if (!studio.data || !prices.data) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  const checked = checkAgainstPrices(request, prices.data);
  if (checked.error) {
    return <CheckoutParamErrors errors={[checked.error]} teacherId={request.teacherId} />;
  }
  return (
    <ConfirmOrder
      request={request}
      teacherName={studio.data.displayName}
      course={checked.course}
      zone={zone}
    />
  );
}

/**
 * The order id and the "Confirm order" button. On open the page is issued an order id and
 * puts it in its URL, so a reload, a double submit or a second tab submits the same id and
 * gets the same order back.
 */
function ConfirmOrder(props: {
  request: CheckoutRequest;
  teacherName: string;
  course: PricedCourse;
  zone: string | null;
}) {
  const { request } = props;
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: session, status } = useSession();
  const role = (session?.user as { role?: string } | undefined)?.role;
  const isStudent = status === "authenticated" && role === "student";

  const baseHref = checkoutHref({ ...request, orderId: null });
  const here = checkoutHref(request);
  const issue = useMutation(trpc.trade.newOrderId.mutationOptions());
  const place = useMutation(trpc.trade.placeOrder.mutationOptions());
  const quote = useQuery({
    ...trpc.trade.quote.queryOptions({
      teacherId: request.teacherId,
      courseId: request.courseId,
      purchase: request.purchase,
    }),
    enabled: isStudent,
  });
  const [coupon, setCoupon] = useState<CouponChoice>("best");
  /** The checkout an id was requested for, so it is requested once (Strict Mode included). */
  const issuedFor = useRef<string | null>(null);
  /** The checkout kept as the guest cart, so it is sent once. */
  const rememberedAs = useRef<string | null>(null);

  const issueOrderId = () => {
    issuedFor.current = baseHref;
    issue.mutate(undefined, {
      onSuccess: ({ orderId }) =>
        router.replace(checkoutHref({ ...request, orderId }), { scroll: false }),
    });
  };
  // After every render, guarded by the ref: once the viewer is known to be a student and the
  // URL has no order id yet, ask for one (again after "start again").
  useEffect(() => {
    if (!isStudent || request.orderId || issuedFor.current === baseHref) return;
    issueOrderId();
  });

  // A signed-out visitor: keep this checkout in the guest cart, so signing in by any route
  // (SSO, a new tab, signing up) can come back to it.
  useEffect(() => {
    if (status !== "unauthenticated" || rememberedAs.current === baseHref) return;
    rememberedAs.current = baseHref;
    rememberGuestCart(baseHref).catch(() => {
      rememberedAs.current = null; // offline or refused: the callback URL still works
    });
  });

  const startAgain = () => {
    issuedFor.current = null;
    place.reset();
    router.replace(baseHref, { scroll: false });
  };

  const confirm = () => {
    if (!request.orderId) return;
    place.mutate(
      {
        orderId: request.orderId,
        teacherId: request.teacherId,
        courseId: request.courseId,
        purchase: request.purchase,
        lesson: request.lesson ?? undefined,
        coupon,
      },
      {
        onSuccess: async ({ orderId }) => {
          await Promise.all([
            queryClient.invalidateQueries(trpc.trade.pathFilter()),
            queryClient.invalidateQueries(trpc.availability.pathFilter()),
            // The order holds what the cart held: nothing to continue to any more.
            forgetGuestCart().catch(() => {}),
          ]);
          router.replace(`/me/orders/${orderId}`);
        },
      },
    );
  };

  const problem = place.error ? checkoutProblem(callFailureOf(place.error)) : null;
  const rowErrors = problem?.kind === "row" ? { [problem.row]: problem.message } : {};

  return (
    <div className="checkout">
      {problem && problem.kind !== "row" && (
        <CheckoutProblemBanner
          problem={problem}
          teacherId={request.teacherId}
          teacherName={props.teacherName}
          signInPath={here}
          onStartAgain={startAgain}
        />
      )}
      <CheckoutSummary
        request={request}
        teacherName={props.teacherName}
        course={props.course}
        zone={props.zone}
        rowErrors={rowErrors}
        price={quote.data ? quoteOfChoice(quote.data, coupon) : null}
      />
      {quote.data && (
        <CouponPicker
          quote={quote.data}
          choice={coupon}
          onChoose={setCoupon}
          zone={props.zone}
          disabled={place.isPending || place.isSuccess}
        />
      )}
      {quote.error && (
        <p className="notice small" role="status">
          Discounts could not be shown: {quote.error.message}. The order is priced with your best
          offers when you confirm it.
        </p>
      )}
      <div className="checkout-actions">
        {status === "loading" ? (
          <p className="muted" role="status">
            Checking your account…
          </p>
        ) : status === "unauthenticated" ? (
          <p className="notice" data-testid="sign-in-notice">
            <Link href={signInHref(here)}>Sign in</Link> as a student to place this order.
          </p>
        ) : !isStudent ? (
          <p className="notice" role="alert">
            Only student accounts can buy lessons. You are signed in as {aRole(role)}.
          </p>
        ) : issue.isError ? (
          <p className="error" role="alert">
            {issue.error.message}{" "}
            <button type="button" className="link-button" onClick={issueOrderId}>
              Try again
            </button>
          </p>
        ) : (
          <>
            <button
              type="button"
              className="button"
              onClick={confirm}
              disabled={!request.orderId || place.isPending || place.isSuccess}
              aria-describedby="checkout-payment-note"
            >
              {!request.orderId
                ? "Preparing your order…"
                : place.isPending || place.isSuccess
                  ? "Placing your order…"
                  : "Confirm order"}
            </button>
            <p className="muted small" id="checkout-payment-note">
              Confirming places the order{request.lesson ? " and holds the lesson time" : ""} while
              you pay on the next page. Nothing is charged until you pay.
            </p>
          </>
        )}
      </div>
    </div>
  );
}

function CheckoutProblemBanner(props: {
  problem: Exclude<CheckoutProblem, { kind: "row" }>;
  teacherId: string;
  teacherName: string;
  signInPath: string;
  onStartAgain: () => void;
}) {
  const { problem } = props;
  return (
    <div className="checkout-problem" role="alert" data-testid="checkout-problem">
      <p>
        <strong>{problem.message}</strong>
      </p>
      {problem.kind === "taken" && (
        <p>
          <Link href={`/teachers/${props.teacherId}`}>
            Choose another time with {props.teacherName}
          </Link>
        </p>
      )}
      {problem.kind === "restart" && (
        <p>
          <button type="button" className="link-button" onClick={props.onStartAgain}>
            Start this checkout again
          </button>
        </p>
      )}
      {problem.kind === "signIn" && (
        <p>
          <Link href={signInHref(props.signInPath)}>Sign in again</Link> to place this order.
        </p>
      )}
    </div>
  );
}
