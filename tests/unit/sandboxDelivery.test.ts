import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deliverSandboxCallback,
  deliverSandboxSteps,
  newSandboxTransactionId,
} from "../../server/payment/sandboxDelivery";
import { SANDBOX_SIGNATURE_HEADER, sandboxGateway } from "../../server/payment/sandboxGateway";

const secret = "sandbox-delivery-secret-0123";
const gateway = sandboxGateway(() => secret);
let server: Server;
let inFlight = 0;
let maxInFlight = 0;
const verdicts: unknown[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      // Hold each request a moment so concurrent copies overlap, as at a busy webhook.
      setTimeout(() => {
        const headers = new Headers({
          [SANDBOX_SIGNATURE_HEADER]: String(req.headers[SANDBOX_SIGNATURE_HEADER]),
        });
        const verdict = gateway.verifyWebhook(raw, headers, new Date());
        verdicts.push(verdict);
        inFlight -= 1;
        res.statusCode = verdict.ok ? 200 : 400;
        res.end();
      }, 30);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("sandbox delivery", () => {
  it("posts the same signed callback twice, at the same time, over HTTP", async () => {
    verdicts.length = 0;
    maxInFlight = 0;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
    const transactionId = newSandboxTransactionId();
    const statuses = await deliverSandboxCallback(
      url,
      { type: "payment.succeeded", paymentId: "42", transactionId, amount: 3000, currency: "USD" },
      { copies: 2, delayMs: 0 },
      secret,
    );
    expect(statuses).toEqual([200, 200]);
    expect(maxInFlight).toBe(2);
    expect(verdicts).toEqual([
      {
        ok: true,
        event: { kind: "succeeded", paymentId: "42", transactionId, amount: 3000, currency: "USD" },
      },
      {
        ok: true,
        event: { kind: "succeeded", paymentId: "42", transactionId, amount: 3000, currency: "USD" },
      },
    ]);
  });

  it("says 0 for a webhook it cannot reach", async () => {
    const statuses = await deliverSandboxCallback(
      "http://127.0.0.1:1/webhook",
      {
        type: "payment.failed",
        paymentId: "42",
        transactionId: newSandboxTransactionId(),
        reason: "declined",
      },
      { copies: 1, delayMs: 0 },
      secret,
    );
    expect(statuses).toEqual([0]);
  });

  it("out of order: the abandoned attempt's failure is sent only after the success was answered", async () => {
    verdicts.length = 0;
    maxInFlight = 0;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
    const answers = await deliverSandboxSteps(
      url,
      [
        {
          body: {
            type: "payment.succeeded",
            paymentId: "43",
            transactionId: newSandboxTransactionId(),
            amount: 3000,
            currency: "USD",
          },
          plan: { copies: 2, delayMs: 0 },
        },
        {
          body: {
            type: "payment.failed",
            paymentId: "43",
            transactionId: newSandboxTransactionId(),
            reason: "first attempt abandoned",
          },
          plan: { copies: 1, delayMs: 0 },
        },
      ],
      secret,
    );
    expect(answers).toEqual([[200, 200], [200]]);
    // The two copies overlapped; the failure came last, alone.
    expect(maxInFlight).toBe(2);
    expect(verdicts.map((v) => (v as { event: { kind: string } }).event.kind)).toEqual([
      "succeeded",
      "succeeded",
      "failed",
    ]);
  });
});
