import { env, isEmbedded } from "./env";

/**
 * Development sinks (codes and mails written to the server log and to /dev pages instead of
 * being sent) serve the embedded demo, `next dev`, and test runs that opt in with
 * HALFHOUR_DEV_SINKS=1. A production server on a real database never shows them.
 */
export function devSinksEnabled(): boolean {
  const config = env();
  return isEmbedded() || config.NODE_ENV !== "production" || config.HALFHOUR_DEV_SINKS;
}

/**
 * What a production server on a real database lacks to run safely. Secrets come from the
 * environment only; nothing is generated or defaulted for them there.
 */
export function startupProblems(): string[] {
  const config = env();
  if (config.NODE_ENV !== "production" || isEmbedded()) return [];
  const problems: string[] = [];
  if (!config.AUTH_SECRET) {
    problems.push(
      "AUTH_SECRET is not set (it signs sessions; generate one with `npx auth secret`)",
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
  if (config.SMTP_URL && !publicAppUrl()) {
    problems.push(
      "AUTH_URL is not set (mailed links must name the public URL; it is never taken from a request's Host)",
    );
  }
  return problems;
}

/**
 * The app's public URL from AUTH_URL (no trailing slash), or null when unset or not a URL.
 * Links in mails are built from it and never from a request's Host header, which a client
 * chooses (a forged Host would otherwise put an attacker's domain in a password-reset link).
 */
export function publicAppUrl(): string | null {
  const configured = process.env.AUTH_URL?.trim();
  if (!configured) return null;
  try {
    const url = new URL(configured);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** Stops the server at start when startupProblems() finds any, naming each. */
export function assertReadyToServe(): void {
  const problems = startupProblems();
  if (problems.length > 0) {
    throw new Error(`Halfhour refuses to start in production:\n- ${problems.join("\n- ")}`);
  }
}
