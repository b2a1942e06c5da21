import type { Metadata } from "next";
import { Suspense } from "react";
import { describePurchase } from "../_components/checkoutParams";
import { SignInForm } from "../_components/SignInForm";
import { readGuestCart } from "../checkout/guestCartCookie";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Rendered per request: it reads the guest cart, where signing in continues to. */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ callbackUrl }, cart] = await Promise.all([searchParams, readGuestCart()]);
  return (
    <div className="page narrow">
      <h1>Sign in</h1>
      {cart && !callbackUrl && (
        <p className="notice" data-testid="cart-waiting">
          You have {describePurchase(cart.request.purchase)} waiting at checkout: you will go on to
          it after signing in.
        </p>
      )}
      <Suspense>
        <SignInForm cartHref={cart?.href ?? null} />
      </Suspense>
    </div>
  );
}
