import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { currentSession } from "@/server/auth";
import { afterSandboxPath, sandboxCheckoutOf } from "@/server/payment/sandboxCheckout";
import { LATE_DELIVERY_SECONDS } from "@/server/payment/sandboxDeliveryOptions";
import { formatMoney } from "../../../_components/format";

export const metadata: Metadata = { title: "Sandbox payment" };
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;

/**
 * The sandbox gateway's hosted page: the signed-in payer sees their payment and chooses Pay
 * or Decline; the decision is posted to ./decide, which calls our webhook like a gateway.
 */
export default async function SandboxPaymentPage({ params }: { params: Params }) {
  const { id } = await params;
  const session = await currentSession();
  if (!session) {
    return (
      <div className="page narrow">
        <h1>Sandbox payment — no real money</h1>
        <p className="notice" role="alert">
          Sign in as the payer to see this payment.{" "}
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/sandbox/pay/${id}`)}`}>
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  const checkout = await sandboxCheckoutOf(getDb(), session.user.id, id);
  if (!checkout) notFound();
  const { payment, lines } = checkout;
  const money = (minor: number) => formatMoney(minor, payment.currency, "en-US");

  return (
    <div className="page narrow" data-testid="sandbox-payment" data-payment-id={payment.id}>
      <h1>Sandbox payment — no real money</h1>
      <p className="notice">
        This is Halfhour's test payment gateway. Nothing is charged: choose Pay or Decline to see
        what happens either way.
      </p>
      <section className="card" aria-label="Payment">
        <dl className="facts">
          <dt>Amount</dt>
          <dd data-testid="sandbox-amount">
            <strong>{money(payment.fromGateway)}</strong> ({payment.currency})
          </dd>
          {payment.fromWallet > 0 && (
            <>
              <dt>From your wallet</dt>
              <dd>{money(payment.fromWallet)}</dd>
            </>
          )}
          <dt>Status</dt>
          <dd data-testid="sandbox-status">{payment.status}</dd>
        </dl>
        <h2>What it pays</h2>
        {lines.length === 0 ? (
          <p data-testid="sandbox-top-up">Wallet top-up</p>
        ) : (
          <ul>
            {lines.map((line) => (
              <li key={line.orderId}>
                {line.courseTitle}
                {line.teacherName && ` with ${line.teacherName}`} — {money(line.amount)} (order{" "}
                {line.orderId})
              </li>
            ))}
          </ul>
        )}
      </section>
      {payment.status === "pending" ? (
        <form method="post" action={`/sandbox/pay/${payment.id}/decide`} className="stack">
          <fieldset className="delivery-choice">
            <legend>Delivery of the gateway's callback</legend>
            <label>
              <input type="radio" name="delivery" value="default" defaultChecked /> Twice at once
              (default)
            </label>
            <label>
              <input type="radio" name="delivery" value="late" /> Late: {LATE_DELIVERY_SECONDS}{" "}
              seconds after you return
            </label>
            <label>
              <input type="radio" name="delivery" value="out_of_order" /> Out of order: the failure
              of an abandoned first attempt arrives after the success
            </label>
          </fieldset>
          <div className="row">
            <button type="submit" name="decision" value="pay" className="button">
              Pay
            </button>
            <button type="submit" name="decision" value="decline" className="button secondary">
              Decline
            </button>
          </div>
        </form>
      ) : (
        <p className="notice" role="status">
          This payment is {payment.status}; there is nothing to decide.{" "}
          <Link href={afterSandboxPath(payment)}>Back to Halfhour</Link>
        </p>
      )}
    </div>
  );
}
