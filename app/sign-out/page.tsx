import type { Metadata } from "next";
import { SignOutButton } from "../_components/SignOutButton";

export const metadata: Metadata = { title: "Sign out" };

export default function SignOutPage() {
  return (
    <div className="page narrow center">
      <h1>Sign out</h1>
      <p className="muted">You can sign back in any time; nothing you booked is affected.</p>
      <SignOutButton className="button" />
    </div>
  );
}
