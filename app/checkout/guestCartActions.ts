"use server";

import { parseCheckoutParams } from "@/app/_components/checkoutParams";
import { currentSession } from "@/server/auth";
import { clearGuestCart, writeGuestCart } from "./guestCartCookie";

/**
 * Server actions for the guest cart. Written from server actions (not a route handler, not
 * rendering) because the checkout page learns in the browser that its viewer is signed out,
 * and a server component cannot set cookies: an action is a POST that Next.js refuses from
 * another origin, so no other site can plant or clear a cart.
 */

/**
 * Keeps a signed-out visitor's checkout (its URL, `/checkout?teacher=…`) for 24 h. Anything
 * that is not a valid checkout URL is ignored: an action's arguments come from the browser.
 */
export async function rememberGuestCart(checkoutUrl: unknown): Promise<void> {
  if (typeof checkoutUrl !== "string" || checkoutUrl.length > 1000) return;
  // The session decides, not the caller: a signed-in student's checkout needs no cart.
  if (await currentSession()) return;
  let url: URL;
  try {
    url = new URL(checkoutUrl, "http://checkout.invalid");
  } catch {
    return;
  }
  if (url.origin !== "http://checkout.invalid" || url.pathname !== "/checkout") return;
  const raw: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = raw[name];
    raw[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const parsed = parseCheckoutParams(raw);
  if (!parsed.ok) return;
  await writeGuestCart(parsed.request);
}

/** Forgets the cart: after an order is placed, or when the visitor dismisses it. */
export async function forgetGuestCart(): Promise<void> {
  await clearGuestCart();
}
