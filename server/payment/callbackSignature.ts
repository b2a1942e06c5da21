import { createHmac, timingSafeEqual } from "node:crypto";

/** How old a signed callback may be before it is refused (replays of old deliveries). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The sandbox gateway's callback signature, in the style of Stripe's: the header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Signing the raw body (not a
 * re-serialisation) means what is verified is exactly what arrived.
 */
export function signCallback(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${digest(secret, t, rawBody)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyCallback(
  secret: string,
  rawBody: string,
  header: string | null,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: "missing signature header" };
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) {
    return { ok: false, reason: "malformed signature header" };
  }
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) {
    return { ok: false, reason: "signature timestamp outside the tolerance" };
  }
  const expected = Buffer.from(digest(secret, t, rawBody), "hex");
  const given = Buffer.from(v1, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "signature does not match" };
  }
  return { ok: true };
}

function digest(secret: string, t: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
}
