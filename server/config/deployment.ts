import { type Env, env, publicAppUrl } from "./env";

/**
 * Development sinks (codes and mails written to the server log and to /dev pages instead of
 * being sent) serve the embedded demo, `next dev`, and test runs that opt in with
 * HALFHOUR_DEV_SINKS=1. A production server on a real database never shows them.
 */
export function devSinksEnabled(config: Env = env()): boolean {
  return !config.DATABASE_URL || config.NODE_ENV !== "production" || config.HALFHOUR_DEV_SINKS;
}

/**
 * What a production server on a real database lacks to run safely. Secrets come from the
 * environment only; nothing is generated or defaulted for them there.
 */
export function startupProblems(config: Env = env()): string[] {
  if (config.NODE_ENV !== "production" || !config.DATABASE_URL) return [];
  const problems: string[] = [];
  if (!config.AUTH_SECRET) {
    problems.push(
      "AUTH_SECRET is not set (it signs sessions; generate one with `npx auth secret`)",
    );
  }
  const twilio = [config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, config.TWILIO_FROM];
  if (!config.HALFHOUR_DEV_SINKS && !twilio.every(Boolean)) {
    problems.push(
      "no SMS sender configured (phone sign-in sends codes by text message: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM)",
    );
  }
  if (!config.SMTP_URL && !config.HALFHOUR_DEV_SINKS) {
    problems.push(
      "no mail sender configured and dev sinks off (set SMTP_URL and MAIL_FROM: verification and password-reset mails are sent by SMTP)",
    );
  }
  if (config.SMTP_URL && !config.MAIL_FROM) {
    problems.push("SMTP_URL is set but MAIL_FROM is not (the From address of account mails)");
  }
  if (config.SMTP_URL && !publicAppUrl(config)) {
    problems.push(
      "AUTH_URL is not set (mailed links must name the public URL; it is never taken from a request's Host)",
    );
  }
  return problems;
}

/**
 * Stops the server process at start when startupProblems() finds any, naming each. It exits
 * rather than throws: a throw in Next's start-up hook may only be logged, and a server that
 * keeps running without its secrets is what this exists to prevent.
 */
export function refuseToStartWithoutSecrets(): void {
  const problems = startupProblems();
  if (problems.length > 0) {
    console.error(`Halfhour refuses to start in production:\n- ${problems.join("\n- ")}`);
    process.exit(1);
  }
}
