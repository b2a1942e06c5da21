import { SmsNotSent, type SmsSender } from "./smsSender";

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** An E.164 sender number, or a Messaging Service SID (MG…) that picks one. */
  from: string;
  /** Tests point this at a local server; production uses Twilio's API. */
  apiBase?: string;
  timeoutMs?: number;
}

/**
 * Twilio error codes that are about the recipient, so a retry cannot help: not a valid
 * number, not a mobile, a region not enabled, opted out, unreachable by this sender.
 * https://www.twilio.com/docs/api/errors
 */
const RECIPIENT_ERRORS = new Set([21211, 21214, 21408, 21610, 21612, 21614]);

/**
 * SMS through Twilio's Messages API: a form POST to
 * /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth (SID and auth token),
 * answered 201 with the message resource, or 4xx/5xx with `{ code, message }`.
 */
export function twilioSender(config: TwilioConfig): SmsSender {
  const base = (config.apiBase ?? "https://api.twilio.com").replace(/\/+$/, "");
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;
  const fromField = config.from.startsWith("MG") ? "MessagingServiceSid" : "From";
  return {
    kind: "twilio",
    async send(to, text) {
      const body = new URLSearchParams({ To: to, [fromField]: config.from, Body: text });
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body,
          signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new SmsNotSent(`Twilio unreachable: ${(error as Error).message}`, false, {
          cause: error,
        });
      }
      if (response.ok) return;
      const detail = (await response.json().catch(() => null)) as {
        code?: number;
        message?: string;
      } | null;
      throw new SmsNotSent(
        `Twilio refused the message (HTTP ${response.status}${detail?.code ? `, error ${detail.code}` : ""}): ${detail?.message ?? response.statusText}`,
        detail?.code !== undefined && RECIPIENT_ERRORS.has(detail.code),
      );
    },
  };
}
