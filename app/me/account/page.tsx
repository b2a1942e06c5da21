import type { Metadata } from "next";
import Link from "next/link";
import { currentSession } from "@/server/auth";
import { AccountEmailSection } from "../../_components/AccountEmailSection";
import { AccountPasswordSection } from "../../_components/AccountPasswordSection";
import { signInHref } from "../../_components/callbackUrl";

export const metadata: Metadata = { title: "Your account", robots: { index: false } };

/** The signed-in account, for every role: one section per part of it. */
export default async function AccountPage() {
  const session = await currentSession();
  return (
    <div className="page narrow">
      <h1>Your account</h1>
      {session ? (
        <div className="stack">
          <AccountEmailSection />
          <AccountPasswordSection />
        </div>
      ) : (
        <p className="notice">
          <Link href={signInHref("/me/account")}>Sign in</Link> to manage your account.
        </p>
      )}
    </div>
  );
}
