import type { Metadata } from "next";
import { AccountPhoneSection } from "../../_components/AccountPhoneSection";

export const metadata: Metadata = { title: "Your account" };

/** The signed-in account's settings, one section per concern. */
export default function AccountPage() {
  return (
    <div className="page narrow">
      <h1>Your account</h1>
      <AccountPhoneSection />
    </div>
  );
}
