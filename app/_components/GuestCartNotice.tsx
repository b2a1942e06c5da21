"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { forgetGuestCart } from "../checkout/guestCartActions";

/**
 * "Continue to checkout" while a guest cart exists (read from its httpOnly cookie by the server
 * page that renders this), with a way to dismiss it.
 */
export function GuestCartNotice(props: { href: string; what: string }) {
  const router = useRouter();
  const [dismissing, setDismissing] = useState(false);
  return (
    <div className="notice cart-notice" data-testid="guest-cart">
      <span>You have {props.what} waiting at checkout.</span>
      <Link className="button small" href={props.href}>
        Continue to checkout
      </Link>
      <button
        type="button"
        className="link-button small"
        disabled={dismissing}
        onClick={async () => {
          setDismissing(true);
          try {
            await forgetGuestCart();
          } finally {
            setDismissing(false);
            router.refresh();
          }
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
