import { cookies, headers } from "next/headers";
import type { CheckoutRequest } from "@/app/_components/checkoutParams";
import {
  GUEST_CART_COOKIE,
  GUEST_CART_LIFETIME_SECONDS,
  type GuestCart,
  guestCartKey,
  openGuestCart,
  sealGuestCart,
} from "@/server/trade/guestCart";

/**
 * The guest cart cookie, read by server components (sign-in, sign-up, home) and written only by
 * the server actions beside this file. httpOnly: no script reads it, so the browser shows it
 * only through what the server renders.
 */
export async function readGuestCart(): Promise<GuestCart | null> {
  const key = guestCartKey();
  if (!key) return null;
  return openGuestCart((await cookies()).get(GUEST_CART_COOKIE)?.value, key, new Date());
}

/** Secure when the app is served over https (its public URL, else the page that called). */
async function servedOverHttps(): Promise<boolean> {
  const origin = process.env.AUTH_URL || (await headers()).get("origin") || "";
  return origin.startsWith("https:");
}

export async function writeGuestCart(request: CheckoutRequest): Promise<void> {
  const key = guestCartKey();
  if (!key) return;
  (await cookies()).set(GUEST_CART_COOKIE, sealGuestCart(request, key, new Date()), {
    httpOnly: true,
    sameSite: "lax",
    secure: await servedOverHttps(),
    path: "/",
    maxAge: GUEST_CART_LIFETIME_SECONDS,
  });
}

export async function clearGuestCart(): Promise<void> {
  (await cookies()).delete({ name: GUEST_CART_COOKIE, path: "/" });
}
