import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import {
  type CheckoutRequest,
  checkoutHref,
  parseCheckoutParams,
} from "../../app/_components/checkoutParams";
import { authSecret } from "../auth/secret";

/**
 * The guest cart (seed 001's temporary cart): what a visitor chose at checkout before signing
 * in, kept in a signed cookie so it survives a sign-in that loses the callback URL (an SSO
 * round trip, phone sign-in, signing up, a new tab). Pure apart from the key derivation:
 * sealing and opening take the key and the time.
 *
 * Value: "v1.<payload>.<mac>", base64url; payload = the checkout URL's parameters and an expiry.
 * Opening checks the MAC (constant time), the expiry, then parses the parameters with the
 * checkout page's own parser: one way to read a checkout, whoever wrote it.
 */
export const GUEST_CART_COOKIE = "halfhour_cart";
export const GUEST_CART_LIFETIME_SECONDS = 24 * 3600;

const VERSION = "v1";

const payloadShape = z.object({
  params: z.partialRecord(
    z.enum(["teacher", "course", "package", "start", "slots"]),
    z.string().max(40),
  ),
  exp: z.number().int().positive(),
});

export interface GuestCart {
  request: CheckoutRequest;
  /** Where to continue: the checkout URL, without an order id (checkout issues a new one). */
  href: string;
  expiresAt: Date;
}

/** The MAC key: derived from the auth secret, so no new secret to configure; null without one. */
export function guestCartKey(): Buffer | null {
  const secret = authSecret();
  return secret ? createHmac("sha256", secret).update("halfhour guest cart").digest() : null;
}

const mac = (key: Buffer, body: string) =>
  createHmac("sha256", key).update(`${VERSION}.${body}`).digest();

/** The cookie value for a checkout request (its order id is left out: each checkout gets its own). */
export function sealGuestCart(request: CheckoutRequest, key: Buffer, now: Date): string {
  const params = Object.fromEntries(
    new URL(checkoutHref({ ...request, orderId: null }), "http://cart.invalid").searchParams,
  );
  const exp = Math.floor(now.getTime() / 1000) + GUEST_CART_LIFETIME_SECONDS;
  const body = Buffer.from(JSON.stringify({ params, exp })).toString("base64url");
  return `${VERSION}.${body}.${mac(key, body).toString("base64url")}`;
}

/** The cart a cookie value holds, or null for anything tampered, expired, stale or malformed. */
export function openGuestCart(value: string | undefined, key: Buffer, now: Date): GuestCart | null {
  if (!value || value.length > 2048) return null;
  const [version, body, signature, ...rest] = value.split(".");
  if (version !== VERSION || !body || !signature || rest.length > 0) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: z.infer<typeof payloadShape>;
  try {
    const parsed = payloadShape.safeParse(JSON.parse(Buffer.from(body, "base64url").toString()));
    if (!parsed.success) return null;
    payload = parsed.data;
  } catch {
    return null;
  }
  if (payload.exp * 1000 <= now.getTime()) return null;
  const checkout = parseCheckoutParams(payload.params);
  if (!checkout.ok) return null;
  // A lesson whose start has passed cannot be bought any more: nothing to continue to.
  const lesson = checkout.request.lesson;
  if (lesson && lesson.start.getTime() <= now.getTime()) return null;
  return {
    request: checkout.request,
    href: checkoutHref(checkout.request),
    expiresAt: new Date(payload.exp * 1000),
  };
}
