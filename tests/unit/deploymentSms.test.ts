import { describe, expect, it } from "vitest";
import { startupProblems } from "../../server/config/deployment";
import { parseEnv } from "../../server/config/env";

async function problemsWith(vars: Record<string, string | undefined>): Promise<string[]> {
  return startupProblems(parseEnv(vars));
}

const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/halfhour",
  AUTH_SECRET: "a-production-secret-of-some-length",
  HALFHOUR_DEV_SINKS: "0",
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
