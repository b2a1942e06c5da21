import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SANDBOX_SIGNATURE_HEADER,
  sandboxGateway,
  signSandboxCallback,
} from "../../server/payment/sandboxGateway";
import { stripeGateway } from "../../server/payment/stripeGateway";

const NOW = new Date("2026-11-23T10:00:00Z");

describe("sandbox gateway", () => {
  const secret = "sandbox-test-secret-0123456789";
  const gateway = sandboxGateway(() => secret);
  const headersFor = (signature: string) => new Headers({ [SANDBOX_SIGNATURE_HEADER]: signature });

  it("sends the payer to its hosted page on our site", async () => {
    expect(
      await gateway.createCheckout({
        paymentId: "42",
        amount: 3000,
        currency: "USD",
        description: "x",
        successUrl: "http://localhost/ok",
        cancelUrl: "http://localhost/no",
      }),
    ).toEqual({ reference: "sbx_cs_42", redirectUrl: "/sandbox/pay/42" });
  });

  it("reads a signed success and a signed decline", () => {
    const ok = signSandboxCallback(
      {
        type: "payment.succeeded",
        paymentId: "42",
        transactionId: "sbx_tx_1",
        amount: 3000,
        currency: "USD",
      },
      NOW,
      secret,
    );
    expect(gateway.verifyWebhook(ok.raw, headersFor(ok.signature), NOW)).toEqual({
      ok: true,
      event: {
        kind: "succeeded",
        paymentId: "42",
        transactionId: "sbx_tx_1",
        amount: 3000,
        currency: "USD",
      },
    });
    const no = signSandboxCallback(
      { type: "payment.failed", paymentId: "42", transactionId: "sbx_tx_2", reason: "declined" },
      NOW,
      secret,
    );
    expect(gateway.verifyWebhook(no.raw, headersFor(no.signature), NOW)).toMatchObject({
      ok: true,
      event: { kind: "failed", reason: "declined" },
    });
  });

  it("refuses another secret, a tampered amount and a body of the wrong shape", () => {
    const body = {
      type: "payment.succeeded",
      paymentId: "42",
      transactionId: "sbx_tx_1",
      amount: 3000,
      currency: "USD",
    } as const;
    const forged = signSandboxCallback(body, NOW, "someone-else-secret-000000");
    expect(gateway.verifyWebhook(forged.raw, headersFor(forged.signature), NOW)).toEqual({
      ok: false,
      reason: "signature does not match",
    });
    const signed = signSandboxCallback(body, NOW, secret);
    const tampered = signed.raw.replace("3000", "1");
    expect(gateway.verifyWebhook(tampered, headersFor(signed.signature), NOW).ok).toBe(false);
    const odd = signSandboxCallback({ ...body, currency: "usd" } as never, NOW, secret);
    expect(gateway.verifyWebhook(odd.raw, headersFor(odd.signature), NOW)).toEqual({
      ok: false,
      reason: "body is not a sandbox callback",
    });
  });
});

/** A stand-in for api.stripe.com that records what the client sent. */
let api: Server;
const received: { path: string; body: string; idempotencyKey: string | undefined }[] = [];
const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => resolve(data));
  });

beforeAll(async () => {
  api = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({
      path: req.url ?? "",
      body: decodeURIComponent(body),
      idempotencyKey: req.headers["idempotency-key"] as string | undefined,
    });
    res.setHeader("content-type", "application/json");
    if (req.url === "/v1/checkout/sessions") {
      res.end(
        JSON.stringify({
          id: "cs_test_1",
          object: "checkout.session",
          url: "https://checkout.stripe.test/cs_test_1",
        }),
      );
    } else if (req.url === "/v1/refunds") {
      res.end(JSON.stringify({ id: "re_test_1", object: "refund" }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: "unknown" } }));
    }
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

describe("Stripe gateway (offline)", () => {
  const webhookSecret = "whsec_test_0123456789";
  const gateway = () =>
    stripeGateway({
      secretKey: "sk_test_offline",
      webhookSecret,
      api: { host: "127.0.0.1", port: (api.address() as AddressInfo).port, protocol: "http" },
    });
  const signer = new Stripe("sk_test_offline");
  const eventOf = (type: string, session: Record<string, unknown>) =>
    JSON.stringify({
      id: "evt_1",
      object: "event",
      type,
      data: { object: { id: "cs_test_1", object: "checkout.session", ...session } },
    });
  const headersFor = (payload: string, secret = webhookSecret) =>
    new Headers({
      "stripe-signature": signer.webhooks.generateTestHeaderString({ payload, secret }),
    });

  it("creates a Checkout Session for the payment, idempotently, and returns its URL", async () => {
    received.length = 0;
    const checkout = await gateway().createCheckout({
      paymentId: "42",
      amount: 7550,
      currency: "USD",
      description: "Lessons with Tessa Teacher",
      successUrl: "http://localhost:3000/me/orders",
      cancelUrl: "http://localhost:3000/checkout",
    });
    expect(checkout).toEqual({
      reference: "cs_test_1",
      redirectUrl: "https://checkout.stripe.test/cs_test_1",
    });
    const [sent] = received;
    expect(sent?.path).toBe("/v1/checkout/sessions");
    expect(sent?.idempotencyKey).toBe("checkout-42");
    expect(sent?.body).toContain("client_reference_id=42");
    expect(sent?.body).toContain("line_items[0][price_data][unit_amount]=7550");
    expect(sent?.body).toContain("line_items[0][price_data][currency]=usd");
  });

  it("refunds through the API with our refund id as the idempotency key", async () => {
    received.length = 0;
    expect(
      await gateway().refund({
        refundId: "77",
        transactionId: "pi_1",
        amount: 1500,
        currency: "USD",
      }),
    ).toEqual({ reference: "re_test_1" });
    expect(received[0]).toMatchObject({ path: "/v1/refunds", idempotencyKey: "refund-77" });
    expect(received[0]?.body).toContain("amount=1500");
  });

  it("reads a paid Checkout Session from a signed webhook", () => {
    const payload = eventOf("checkout.session.completed", {
      client_reference_id: "42",
      payment_intent: "pi_1",
      payment_status: "paid",
      amount_total: 7550,
      currency: "usd",
    });
    expect(gateway().verifyWebhook(payload, headersFor(payload), NOW)).toEqual({
      ok: true,
      event: {
        kind: "succeeded",
        paymentId: "42",
        transactionId: "pi_1",
        amount: 7550,
        currency: "USD",
      },
    });
  });

  it("maps failures and expiries, ignores what it does not act on, refuses bad signatures", () => {
    const failed = eventOf("checkout.session.async_payment_failed", {
      client_reference_id: "42",
      payment_intent: "pi_2",
    });
    expect(gateway().verifyWebhook(failed, headersFor(failed), NOW)).toMatchObject({
      ok: true,
      event: { kind: "failed", paymentId: "42", transactionId: "pi_2" },
    });
    const unpaid = eventOf("checkout.session.completed", {
      client_reference_id: "42",
      payment_status: "unpaid",
    });
    expect(gateway().verifyWebhook(unpaid, headersFor(unpaid), NOW)).toMatchObject({
      ok: true,
      event: { kind: "ignored" },
    });
    const other = eventOf("customer.created", {});
    expect(gateway().verifyWebhook(other, headersFor(other), NOW)).toEqual({
      ok: true,
      event: { kind: "ignored", type: "customer.created" },
    });
    const payload = eventOf("checkout.session.completed", {
      client_reference_id: "42",
      payment_status: "paid",
    });
    expect(
      gateway().verifyWebhook(payload, headersFor(payload, "whsec_wrong_secret_00"), NOW).ok,
    ).toBe(false);
    expect(gateway().verifyWebhook(payload, new Headers(), NOW)).toEqual({
      ok: false,
      reason: "missing signature header",
    });
  });
});
