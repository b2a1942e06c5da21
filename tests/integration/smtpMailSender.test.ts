import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtpMailSender } from "../../server/mail/smtpMailSender";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Headers and decoded body of a received message (nodemailer may quote-print long lines). */
function parse(raw: string) {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const headers = head.replace(/\r\n[ \t]+/g, " ");
  const header = (name: string) =>
    new RegExp(`^${name}: (.*)$`, "im").exec(headers)?.[1]?.trim() ?? null;
  let body = rest.join("\r\n\r\n");
  if (/quoted-printable/i.test(header("Content-Transfer-Encoding") ?? "")) {
    body = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
  }
  return { header, body: body.replace(/\r\n/g, "\n") };
}

describe("SMTP mail sender", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let url = "";

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith("@refused.example")) {
          callback(new Error("No such mailbox"));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("delivers recipient, sender, subject and body over SMTP", async () => {
    const sender = smtpMailSender({ url, from: "Halfhour <no-reply@halfhour.example>" });
    const link = `https://halfhour.example/reset-password?token=${"Ab-_".repeat(10)}xyz`;
    try {
      await sender.send({
        to: "student@example.com",
        subject: "Reset your Halfhour password — now",
        text: `Hello,\n\nOpen this link:\n\n${link}\n\nHalfhour`,
      });
    } finally {
      sender.close();
    }
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from).toBe("no-reply@halfhour.example");
    expect(mail.to).toEqual(["student@example.com"]);
    const { header, body } = parse(mail.raw);
    expect(header("To")).toBe("student@example.com");
    expect(header("From")).toBe("Halfhour <no-reply@halfhour.example>");
    // A non-ASCII subject travels as an encoded word.
    expect(header("Subject")).toMatch(/^=\?UTF-8\?/i);
    expect(body).toContain(link);
    expect(body).toContain("Open this link:");
  });

  it("fails the send when the relay refuses the recipient", async () => {
    const sender = smtpMailSender({ url, from: "no-reply@halfhour.example" });
    try {
      await expect(
        sender.send({ to: "nobody@refused.example", subject: "Hi", text: "Hello" }),
      ).rejects.toThrow();
    } finally {
      sender.close();
    }
  });
});
