"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import {
  TOP_UP_CURRENCIES,
  TOP_UP_MAX_MAJOR,
  TOP_UP_MIN_MAJOR,
} from "../../server/payment/topUpRules";
import { useTRPC } from "../_trpc/client";

/** "25" or "25.5" or "25.50" → 2550 minor units (two decimals); null when it is not a sum. */
export function parseMajorAmount(text: string): number | null {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

const newKey = () => `topup-${Math.random().toString(36).slice(2, 12).padEnd(10, "0")}`;

/**
 * Tops the wallet up through the payment gateway: the amount and currency are sent, the
 * server opens a checkout, and the browser goes to the gateway's hosted page. One key per
 * filled-in form, so a double click starts one top-up.
 */
export function WalletTopUpForm(props: { defaultCurrency: string }) {
  const trpc = useTRPC();
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState(props.defaultCurrency);
  const [key, setKey] = useState(newKey);
  const [problem, setProblem] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const topUp = useMutation(
    trpc.wallet.topUp.mutationOptions({
      onSuccess: (result) => {
        if (result.redirectUrl) {
          setLeaving(true);
          window.location.assign(result.redirectUrl);
        } else {
          setProblem("This top-up is already settled; reload the page.");
        }
      },
      onError: (error) => setProblem(error.message),
    }),
  );
  const busy = topUp.isPending || leaving;

  return (
    <form
      className="card wallet-top-up"
      aria-label="Top up your wallet"
      data-testid="wallet-top-up"
      onSubmit={(event) => {
        event.preventDefault();
        setProblem(null);
        const minor = parseMajorAmount(amount);
        if (minor === null) {
          setProblem("Enter an amount such as 25 or 25.50");
          return;
        }
        topUp.mutate({ idempotencyKey: key, amount: minor, currency });
      }}
    >
      <h2>Top up</h2>
      <div className="row">
        <label>
          Amount{" "}
          <input
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              setKey(newKey());
            }}
            aria-describedby="top-up-limits"
            required
          />
        </label>
        <label>
          Currency{" "}
          <select name="currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {TOP_UP_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Opening payment…" : "Top up"}
        </button>
      </div>
      <p id="top-up-limits" className="muted small">
        From {TOP_UP_MIN_MAJOR} to {TOP_UP_MAX_MAJOR.toLocaleString("en-US")} per top-up. You pay on
        the payment gateway's page.
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
