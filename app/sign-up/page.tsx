import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { oidcSettings } from "@/server/config/env";
import { SignUpForm } from "../_components/SignUpForm";

export const metadata: Metadata = { title: "Create an account" };

/** Per request, so whether single sign-on is offered follows the server's settings. */
export default async function SignUpPage() {
  await connection();
  return (
    <div className="page narrow">
      <h1>Create an account</h1>
      <Suspense>
        <SignUpForm ssoName={oidcSettings()?.name ?? null} />
      </Suspense>
    </div>
  );
}
