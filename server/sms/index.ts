import { getCache } from "../cache";
import { devSinksEnabled } from "../config/deployment";
import { type Env, env } from "../config/env";
import { devSmsNamespace, devSmsSender } from "./devSmsSink";
import type { SmsSender } from "./smsSender";
import { twilioSender } from "./twilioSender";

export type { SmsSender } from "./smsSender";
export { SmsNotSent } from "./smsSender";

/** Twilio's three settings, when all are set (env.ts refuses a partial set). */
export function twilioConfigOf(config: Env) {
  const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM } = config;
  return TWILIO_ACCOUNT_SID && TWILIO_AUTH_TOKEN && TWILIO_FROM
    ? { accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN, from: TWILIO_FROM }
    : null;
}

/**
 * The sender this server uses: Twilio when configured (even in development: a configured
 * provider is meant to be used), else the development sink where dev sinks are on, else none
 * — a production server without a provider cannot send codes, and startupProblems() says so.
 */
export function getSmsSender(): SmsSender | null {
  const config = env();
  const twilio = twilioConfigOf(config);
  if (twilio) return twilioSender(twilio);
  if (devSinksEnabled()) return devSmsSender(getCache(), devSmsNamespace(config.DATABASE_URL));
  return null;
}
