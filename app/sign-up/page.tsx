import type { Metadata } from "next";
import { Suspense } from "react";
import { SignUpForm } from "../_components/SignUpForm";

export const metadata: Metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <div className="page narrow">
      <h1>Create an account</h1>
      <Suspense>
        <SignUpForm />
      </Suspense>
    </div>
  );
}
