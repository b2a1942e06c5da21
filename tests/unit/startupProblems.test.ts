import { describe, expect, it } from "vitest";
import { devSinksEnabled, startupProblems } from "../../server/config/deployment";
import { parseEnv } from "../../server/config/env";

async function problemsWith(vars: Record<string, string | undefined>): Promise<string[]> {
  return startupProblems(parseEnv(vars));
}

const SMTP = {
  SMTP_URL: "smtp://relay.example:587",
  MAIL_FROM: "Halfhour <no-reply@halfhour.example>",
  AUTH_URL: "https://halfhour.example",
};
const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/halfhour",
  AUTH_SECRET: "a-production-secret-of-some-length",
  HALFHOUR_DEV_SINKS: "0",
  ...SMTP,
};
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "twilio-auth-token-for-tests",
  TWILIO_FROM: "+15005550006",
};
const NO_TWILIO = {
  TWILIO_ACCOUNT_SID: undefined,
  TWILIO_AUTH_TOKEN: undefined,
  TWILIO_FROM: undefined,
};

describe("a production server's SMS sender", () => {
  it("is a startup problem when neither Twilio nor the dev sinks are configured", async () => {
    expect(await problemsWith({ ...PRODUCTION, ...NO_TWILIO })).toEqual([
      expect.stringMatching(/^no SMS sender configured .*TWILIO_ACCOUNT_SID/),
    ]);
  });

  it("is fine with Twilio, or with the dev sinks (e2e runs)", async () => {
    expect(await problemsWith({ ...PRODUCTION, ...TWILIO })).toEqual([]);
    expect(await problemsWith({ ...PRODUCTION, ...NO_TWILIO, HALFHOUR_DEV_SINKS: "1" })).toEqual(
      [],
    );
  });

  it("refuses half a Twilio configuration, naming the variables", async () => {
    await expect(
      problemsWith({ ...PRODUCTION, ...TWILIO, TWILIO_AUTH_TOKEN: undefined }),
    ).rejects.toThrow(/TWILIO_AUTH_TOKEN: set it too, or unset TWILIO_ACCOUNT_SID and TWILIO_FROM/);
    await expect(
      problemsWith({ ...PRODUCTION, ...TWILIO, TWILIO_FROM: "0800 123" }),
    ).rejects.toThrow(/TWILIO_FROM: Expected an E\.164 number/);
  });
});

describe("a production server's mail sender", () => {
  const NO_SMTP = { SMTP_URL: undefined, MAIL_FROM: undefined };

  it("is a startup problem when neither SMTP nor the dev sinks are configured", async () => {
    expect(await problemsWith({ ...PRODUCTION, ...TWILIO, ...NO_SMTP })).toEqual([
      expect.stringMatching(/^no mail sender configured .*SMTP_URL and MAIL_FROM/),
    ]);
    expect(
      await problemsWith({ ...PRODUCTION, ...NO_TWILIO, ...NO_SMTP, HALFHOUR_DEV_SINKS: "1" }),
    ).toEqual([]);
  });

  it("needs a From address and the public URL its links name", async () => {
    expect(await problemsWith({ ...PRODUCTION, ...TWILIO, MAIL_FROM: undefined })).toEqual([
      expect.stringMatching(/^SMTP_URL is set but MAIL_FROM is not/),
    ]);
    expect(await problemsWith({ ...PRODUCTION, ...TWILIO, AUTH_URL: undefined })).toEqual([
      expect.stringMatching(/^AUTH_URL is not set/),
    ]);
  });
});

describe("production start-up", () => {
  it("refuses a production database without AUTH_SECRET, naming it", async () => {
    const problems = await problemsWith({ ...PRODUCTION, ...TWILIO, AUTH_SECRET: undefined });
    expect(problems).toEqual([expect.stringMatching(/^AUTH_SECRET is not set/)]);
  });

  it("never asks the embedded demo or development", async () => {
    const bare = { ...NO_TWILIO, SMTP_URL: undefined, MAIL_FROM: undefined };
    expect(await problemsWith({ ...bare, NODE_ENV: "production" })).toEqual([]);
    expect(await problemsWith({ ...PRODUCTION, ...bare, NODE_ENV: "development" })).toEqual([]);
  });

  it("shows development sinks only off production databases, or when a test run asks", () => {
    expect(devSinksEnabled(parseEnv(PRODUCTION))).toBe(false);
    expect(devSinksEnabled(parseEnv({ ...PRODUCTION, HALFHOUR_DEV_SINKS: "1" }))).toBe(true);
    expect(devSinksEnabled(parseEnv({ NODE_ENV: "production" }))).toBe(true);
    expect(devSinksEnabled(parseEnv({ ...PRODUCTION, NODE_ENV: "development" }))).toBe(true);
  });
});
