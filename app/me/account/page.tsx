import type { Metadata } from "next";
import { Suspense } from "react";
import { AccountEmailSection } from "../../_components/AccountEmailSection";
import { AccountPasswordSection } from "../../_components/AccountPasswordSection";
import { AccountPhoneSection } from "../../_components/AccountPhoneSection";
import { AccountProfileSection } from "../../_components/AccountProfileSection";
import { AccountSessionsSection } from "../../_components/AccountSessionsSection";
import { SignedInGate } from "../../_components/SignedInGate";
import { SignInMethodsSection } from "../../_components/SignInMethodsSection";

export const metadata: Metadata = { title: "Your account" };

/**
 * The signed-in account, for every role. Each section is its own component with its own
 * queries and actions (they share the cached `account.overview`): a new part of the account
 * (phone number, email verification) is one more section here.
 */
export default function AccountPage() {
  return (
    <div className="page narrow">
      <h1>Your account</h1>
      <SignedInGate path="/me/account" purpose="manage your account">
        <div className="stack">
          <AccountProfileSection />
          <AccountEmailSection />
          <AccountPasswordSection />
          <Suspense>
            <SignInMethodsSection />
          </Suspense>
          <AccountPhoneSection />
          <AccountSessionsSection />
        </div>
      </SignedInGate>
    </div>
  );
}
