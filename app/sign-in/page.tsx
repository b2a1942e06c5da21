import type { Metadata } from "next";
import { Suspense } from "react";
import { PhoneSignIn } from "../_components/PhoneSignIn";
import { SignInForm } from "../_components/SignInForm";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <div className="page narrow">
      <h1>Sign in</h1>
      <Suspense>
        <SignInForm />
      </Suspense>
      <Suspense>
        <PhoneSignIn />
      </Suspense>
    </div>
  );
}
