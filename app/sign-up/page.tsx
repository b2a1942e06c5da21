import type { Metadata } from "next";
import { Suspense } from "react";
import { oidcSettings } from "@/server/config/env";
import { describePurchase } from "../_components/checkoutParams";
import { SignUpForm } from "../_components/SignUpForm";
import { readGuestCart } from "../checkout/guestCartCookie";

export const metadata: Metadata = { title: "Create an account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Rendered per request: whether single sign-on is offered follows the server's settings, and
 * a guest cart is where signing up continues to.
 */
export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ callbackUrl }, cart] = await Promise.all([searchParams, readGuestCart()]);
  return (
    <div className="page narrow">
      <h1>Create an account</h1>
      {cart && !callbackUrl && (
        <p className="notice" data-testid="cart-waiting">
          You have {describePurchase(cart.request.purchase)} waiting at checkout: you will go on to
          it once your account is created.
        </p>
      )}
      <Suspense>
        <SignUpForm ssoName={oidcSettings()?.name ?? null} cartHref={cart?.href ?? null} />
      </Suspense>
    </div>
  );
}
