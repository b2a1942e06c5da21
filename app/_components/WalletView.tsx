"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useTRPC } from "../_trpc/client";
import { AreaNotice } from "./AreaNotice";
import { formatMoney } from "./format";
import { formatDate } from "./orderWords";
import { useViewerTimeZone } from "./useViewerTimeZone";
import { WalletTopUpForm } from "./WalletTopUpForm";

/** A top-up opened this recently may still be confirmed any moment: ask again meanwhile. */
const RECENT_TOP_UP_MS = 5 * 60_000;
const POLL_MS = 2_000;

/** The signed-in student's wallet: balances, open top-ups, a top-up form, the statement. */
export function WalletView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const zone = useViewerTimeZone();
  const summary = useQuery({
    ...trpc.wallet.summary.queryOptions(),
    // Back from the gateway, the callback may land a moment later (or be delivered late).
    refetchInterval: (query) =>
      query.state.data?.pendingTopUps.some(
        (p) => Date.now() - new Date(p.createdAt).getTime() < RECENT_TOP_UP_MS,
      )
        ? POLL_MS
        : false,
  });
  const currency = summary.data?.defaultCurrency ?? "USD";
  // Pages of the statement: `before` of the page shown (null: the newest).
  const [pages, setPages] = useState<(number | null)[]>([null]);
  const before = pages[pages.length - 1] ?? null;
  const statement = useQuery({
    ...trpc.wallet.statement.queryOptions({ currency, before }),
    enabled: summary.isSuccess,
  });
  const balances = summary.data?.balances.map((b) => `${b.currency}:${b.balance}`).join(",");
  useEffect(() => {
    // A balance moved (a top-up landed): the statement has a new line.
    if (balances !== undefined) {
      void queryClient.invalidateQueries(trpc.wallet.statement.pathFilter());
    }
  }, [balances, queryClient, trpc]);

  if (summary.isError) {
    return (
      <AreaNotice
        error={summary.error}
        audience="student"
        path="/me/wallet"
        purpose="see your wallet"
        forbidden="The wallet is for students: it holds money for lessons and refunds."
      />
    );
  }
  if (summary.isPending || !zone) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  const { balances: rows, pendingTopUps } = summary.data;

  return (
    <div className="wallet" data-testid="wallet">
      <section className="card" aria-label="Balance">
        <h2>Balance</h2>
        <dl className="facts">
          {rows.map((b) => (
            <div key={b.currency} className="wallet-balance">
              <dt>{b.currency}</dt>
              <dd data-testid="wallet-balance" data-currency={b.currency}>
                <strong>{formatMoney(b.balance, b.currency)}</strong>
              </dd>
            </div>
          ))}
        </dl>
        {pendingTopUps.length > 0 && (
          <ul className="wallet-pending" aria-label="Top-ups waiting for the gateway">
            {pendingTopUps.map((p) => (
              <li key={p.paymentId} data-testid="top-up-pending" role="status">
                Top-up pending: {formatMoney(p.amount, p.currency)}, started{" "}
                {formatDate(new Date(p.createdAt), zone)}.{" "}
                {p.redirectUrl && <a href={p.redirectUrl}>Continue to the payment page</a>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <WalletTopUpForm defaultCurrency={currency} />

      <section className="card" aria-labelledby="wallet-statement">
        <div className="row wallet-statement-head">
          <h2 id="wallet-statement">Statement</h2>
          <a
            className="button secondary small"
            href={`/me/wallet/statement.csv?currency=${encodeURIComponent(currency)}`}
            download
            data-testid="statement-csv"
          >
            Download CSV
          </a>
        </div>
        {statement.isError ? (
          <p className="error" role="alert">
            The statement could not be loaded: {statement.error.message}
          </p>
        ) : statement.isPending ? (
          <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" />
        ) : statement.data.lines.length === 0 ? (
          <p className="empty" data-testid="statement-empty">
            No money has moved through your wallet yet.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="orders-table" data-testid="statement">
              <caption className="sr-only">Wallet statement, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col" className="num">
                    Balance
                  </th>
                </tr>
              </thead>
              <tbody>
                {statement.data.lines.map((line) => (
                  <tr key={line.entryId} data-testid="statement-line" data-kind={line.kind}>
                    <td>{formatDate(new Date(line.createdAt), zone)}</td>
                    <td>
                      {line.description}
                      {line.orderId && (
                        <>
                          {" "}
                          — <Link href={`/me/orders/${line.orderId}`}>order {line.orderId}</Link>
                        </>
                      )}
                      {line.note && <span className="muted small block">{line.note}</span>}
                    </td>
                    <td className="num" data-testid="statement-amount">
                      {line.amount > 0 ? "+" : ""}
                      {formatMoney(line.amount, line.currency)}
                    </td>
                    <td className="num">{formatMoney(line.balanceAfter, line.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="row">
          {pages.length > 1 && (
            <button
              type="button"
              className="button secondary small"
              onClick={() => setPages([null])}
            >
              Newest
            </button>
          )}
          {statement.data?.nextBefore && (
            <button
              type="button"
              className="button secondary small"
              data-testid="statement-older"
              onClick={() => setPages((p) => [...p, statement.data?.nextBefore ?? null])}
            >
              Older
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
