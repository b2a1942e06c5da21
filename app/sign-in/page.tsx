import type { Metadata } from "next";
import { Suspense } from "react";
import { oidcSettings } from "@/server/config/env";
import { signInErrorMessage } from "@/server/identity/ssoLinking";
import { describePurchase } from "../_components/checkoutParams";
import { PhoneSignIn } from "../_components/PhoneSignIn";
import { SignInForm } from "../_components/SignInForm";
import { readGuestCart } from "../checkout/guestCartCookie";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Rendered per request: whether single sign-on is offered comes from the server's settings at
 * run time; an `error` left by a refused or cancelled SSO sign-in is explained above the form;
 * and a guest cart (checkout chosen before signing in) is where signing in continues to.
 */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ error, callbackUrl }, cart] = await Promise.all([searchParams, readGuestCart()]);
  const sso = oidcSettings();
  const message = signInErrorMessage(
    typeof error === "string" ? error : null,
    sso?.name ?? "Single sign-on",
  );
  const cartHref = cart?.href ?? null;
  return (
    <div className="page narrow">
      <h1>Sign in</h1>
      {message && (
        <p className="notice" role="alert" data-testid="sign-in-error">
          {message}
        </p>
      )}
      {cart && !callbackUrl && (
        <p className="notice" data-testid="cart-waiting">
          You have {describePurchase(cart.request.purchase)} waiting at checkout: you will go on to
          it after signing in.
        </p>
      )}
      <Suspense>
        <SignInForm ssoName={sso?.name ?? null} cartHref={cartHref} />
      </Suspense>
      <Suspense>
        <PhoneSignIn cartHref={cartHref} />
      </Suspense>
    </div>
  );
}
