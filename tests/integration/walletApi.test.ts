import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { platformAccount, walletAccount } from "../../server/ledger/ledgerAccounts";
import { postTransaction } from "../../server/ledger/postTransaction";
import { receiveWebhook } from "../../server/payment/receiveWebhook";
import { newSandboxTransactionId } from "../../server/payment/sandboxDelivery";
import { walletStatementCsvResponse } from "../../server/payment/walletStatementCsv";
import { createUser, sessionOf } from "../fixtures";
import { fundWallet, heldLesson, sandboxCallback, sellerWithTime } from "../paymentFixtures";

const db = getDb();
const callerFor = (session: AppSession | null) =>
  createCaller({ db, cache: getCache(), session, requestId: "test" });

async function topUpThroughGateway(session: AppSession, amount: number, key: string) {
  const started = await callerFor(session).wallet.topUp({
    idempotencyKey: key,
    amount,
    currency: "USD",
  });
  const callback = sandboxCallback({
    type: "payment.succeeded",
    paymentId: started.paymentId,
    transactionId: newSandboxTransactionId(),
    amount,
    currency: "USD",
  });
  expect((await receiveWebhook(db, "sandbox", callback.raw, callback.headers)).outcome).toBe(
    "applied",
  );
  return started;
}

async function trpcPost(path: string, input: unknown, session: AppSession | null) {
  const res = await handleTrpcRequest(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
    }),
    async () => session,
  );
  return {
    status: res.status,
    body: (await res.json()) as {
      error?: {
        json: { data: { httpStatus: number; fieldErrors: Record<string, string[]> | null } };
      };
    },
  };
}

const csvOf = (session: AppSession | null, query = "?currency=USD") =>
  walletStatementCsvResponse(
    db,
    new Request(`http://localhost/me/wallet/statement.csv${query}`),
    session,
  );

describe("wallet API", () => {
  it("summary shows a zero balance in the platform currency before any money moved", async () => {
    const student = await createUser("student");
    expect(await callerFor(sessionOf(student)).wallet.summary()).toEqual({
      defaultCurrency: "USD",
      balances: [{ currency: "USD", balance: 0 }],
      pendingTopUps: [],
    });
    expect(await callerFor(sessionOf(student)).wallet.statement({ currency: "USD" })).toEqual({
      lines: [],
      nextBefore: null,
    });
  });

  it("topUp sends to the sandbox; the statement describes top-ups and payments, newest first, paged", async () => {
    const { seller, start } = await sellerWithTime();
    const held = await heldLesson(seller, start);
    const session = sessionOf(held.student);
    const student = callerFor(session);
    const started = await topUpThroughGateway(session, 5000, "wallet-key-0001");
    expect(started.redirectUrl).toBe(`/sandbox/pay/${started.paymentId}`);
    await topUpThroughGateway(session, 1000, "wallet-key-0002");
    await callerFor(session).payments.start({
      idempotencyKey: "wallet-pay-0001",
      orderIds: [held.order.id],
      method: "wallet",
    });
    expect((await student.wallet.summary()).balances).toEqual([{ currency: "USD", balance: 3000 }]);

    const first = await student.wallet.statement({ currency: "USD", limit: 2 });
    expect(first.lines.map((l) => [l.description, l.amount, l.balanceAfter, l.orderId])).toEqual([
      ["Payment for lessons", -3000, 3000, held.order.id],
      ["Wallet top-up", 1000, 6000, null],
    ]);
    expect(first.nextBefore).not.toBeNull();
    const older = await student.wallet.statement({ currency: "USD", before: first.nextBefore });
    expect(older.lines.map((l) => [l.description, l.amount, l.balanceAfter])).toEqual([
      ["Wallet top-up", 5000, 5000],
    ]);
    expect(older.nextBefore).toBeNull();
  });

  it("answers 400 naming the field for a bad amount or currency, 401/403 for others", async () => {
    const student = sessionOf(await createUser("student"));
    const small = await trpcPost(
      "wallet.topUp",
      { idempotencyKey: "wallet-key-0003", amount: 100, currency: "USD" },
      student,
    );
    expect(small.status).toBe(400);
    expect(small.body.error?.json.data.fieldErrors).toEqual({
      amount: ["A top-up is between $5.00 and $2,000.00"],
    });
    const currency = await trpcPost(
      "wallet.topUp",
      { idempotencyKey: "wallet-key-0004", amount: 1000, currency: "usd" },
      student,
    );
    expect(currency.status).toBe(400);
    expect(Object.keys(currency.body.error?.json.data.fieldErrors ?? {})).toEqual(["currency"]);
    const teacher = sessionOf(await createUser("teacher"));
    expect(
      (
        await trpcPost(
          "wallet.topUp",
          { idempotencyKey: "wallet-key-0005", amount: 1000, currency: "USD" },
          teacher,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await trpcPost(
          "wallet.topUp",
          { idempotencyKey: "wallet-key-0006", amount: 1000, currency: "USD" },
          null,
        )
      ).status,
    ).toBe(401);
  });
});

describe("wallet statement CSV", () => {
  it("needs a signed-in student and a well-formed currency", async () => {
    expect((await csvOf(null)).status).toBe(401);
    expect((await csvOf(sessionOf(await createUser("teacher")))).status).toBe(403);
    const student = sessionOf(await createUser("student"));
    expect((await csvOf(student, "?currency=us%22d")).status).toBe(400);
    const empty = await csvOf(student, "");
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe("date,description,order,note,amount,balance,currency,entry\n");
  });

  it("exports every line of the student's own wallet, quoting commas, quotes and line breaks", async () => {
    const owner = await createUser("student");
    const other = await createUser("student");
    await fundWallet(other.id, 9900);
    const session = sessionOf(owner);
    await topUpThroughGateway(session, 2500, "wallet-key-0007");
    // A refund memo with every character CSV must quote.
    const memo = 'Refunded, "as agreed"\nsecond line';
    await db.transaction(async (tx) => {
      const prepaid = await platformAccount(tx, "prepaid_lessons", "USD");
      const wallet = await walletAccount(tx, owner.id, "USD");
      await postTransaction(tx, {
        reference: { kind: "refund", id: "csv-test", purpose: "order 123456789" },
        memo,
        lines: [
          { accountId: prepaid.id, currency: "USD", amount: -150 },
          { accountId: wallet.id, currency: "USD", amount: 150 },
        ],
      });
    });
    const res = await csvOf(session);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="halfhour-wallet-USD.csv"',
    );
    const lines = (await res.text()).split("\n");
    expect(lines[0]).toBe("date,description,order,note,amount,balance,currency,entry");
    // The refund: its memo quoted (quotes doubled, the line break kept inside the quotes).
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z,Refund to your wallet,123456789,"Refunded, ""as agreed""$/,
    );
    expect(lines[2]).toMatch(/^second line",1\.50,26\.50,USD,\d+$/);
    expect(lines[3]).toMatch(/^[\dT:.Z-]+,Wallet top-up,,,25\.00,25\.00,USD,\d+$/);
    expect(lines.slice(4)).toEqual([""]);
  });
});
