import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SmsNotSent } from "../../server/sms";
import { twilioSender } from "../../server/sms/twilioSender";

/**
 * The Twilio adapter against a local HTTP server standing in for api.twilio.com: it records
 * each request and answers what the test sets, the way Twilio's Messages API does.
 */
const SID = `AC${"0123456789abcdef".repeat(2)}`;
const TOKEN = "twilio-auth-token-for-tests";

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  form: Record<string, string>;
}

let server: Server;
let apiBase: string;
let seen: Seen[] = [];
let reply: { status: number; body: unknown } = { status: 201, body: {} };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
    });
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  reply = { status: 201, body: { sid: "SM123", status: "queued" } };
});

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as SmsNotSent,
  );

describe("Twilio SMS sender", () => {
  it("posts the message as a form to the account's Messages resource with basic auth", async () => {
    const sender = twilioSender({
      accountSid: SID,
      authToken: TOKEN,
      from: "+15005550006",
      apiBase,
    });
    await sender.send("+447700900123", "Halfhour: your sign-in code is 012345.");
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`,
    );
    expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request!.form).toEqual({
      To: "+447700900123",
      From: "+15005550006",
      Body: "Halfhour: your sign-in code is 012345.",
    });
  });

  it("sends from a Messaging Service when TWILIO_FROM names one", async () => {
    const service = `MG${"a".repeat(32)}`;
    await twilioSender({ accountSid: SID, authToken: TOKEN, from: service, apiBase }).send(
      "+15550100000",
      "hello",
    );
    expect(seen[0]!.form).toEqual({
      To: "+15550100000",
      MessagingServiceSid: service,
      Body: "hello",
    });
  });

  it("a refusal about the recipient is permanent; others are worth retrying", async () => {
    const sender = twilioSender({
      accountSid: SID,
      authToken: TOKEN,
      from: "+15005550006",
      apiBase,
    });
    reply = {
      status: 400,
      body: {
        code: 21211,
        message: "The 'To' number +1555 is not a valid phone number.",
        status: 400,
      },
    };
    const invalid = await failureOf(sender.send("+1555", "x"));
    expect(invalid).toBeInstanceOf(SmsNotSent);
    expect(invalid!.recipientRejected).toBe(true);
    expect(invalid!.message).toMatch(/HTTP 400, error 21211.*not a valid phone number/);

    reply = { status: 401, body: { code: 20003, message: "Authenticate", status: 401 } };
    const unauthorised = await failureOf(sender.send("+15550100000", "x"));
    expect(unauthorised!.recipientRejected).toBe(false);
    expect(unauthorised!.message).toMatch(/HTTP 401, error 20003/);

    reply = { status: 503, body: "not json" };
    expect((await failureOf(sender.send("+15550100000", "x")))!.recipientRejected).toBe(false);
  });

  it("an unreachable API is a failed send, not a crash", async () => {
    const sender = twilioSender({
      accountSid: SID,
      authToken: TOKEN,
      from: "+15005550006",
      apiBase: "http://127.0.0.1:9",
    });
    const error = await failureOf(sender.send("+15550100000", "x"));
    expect(error).toBeInstanceOf(SmsNotSent);
    expect(error!.message).toMatch(/unreachable/);
  });
});
