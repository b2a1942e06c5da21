"use client";

import { useMutation } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { PHONE_CODE_LENGTH } from "@/server/identity/phoneCodeWords";
import { useTRPC } from "../_trpc/client";
import { afterSignInPath } from "./callbackUrl";
import { OneTimeCodeField } from "./OneTimeCodeField";
import { signInWithPhoneCode } from "./phoneSignIn";

const timeOf = (at: Date) => at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * Sign-in with a one-time code by text message: the number, "Send code", then the code. A new
 * number gets a new student account. Refusals say what happened to the code (wrong with the
 * attempts left, locked, expired) and, when a limit refuses, when to try again.
 */
export function PhoneSignIn(props: { cartHref?: string | null }) {
  const trpc = useTRPC();
  const id = useId();
  // Only same-site paths, so a crafted link cannot bounce a user to another site.
  const callbackUrl = afterSignInPath(useSearchParams().get("callbackUrl"), props.cartHref);
  const [typed, setTyped] = useState("");
  const [sent, setSent] = useState<{ phone: string; expiresAt: Date } | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [newCodeNeeded, setNewCodeNeeded] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const send = useMutation(
    trpc.phone.requestCode.mutationOptions({
      onMutate: () => setError(null),
      onSuccess: (answer) => {
        setSent(answer);
        setCode("");
        setNewCodeNeeded(false);
      },
      onError: (e) => setError(e.message),
    }),
  );

  function onSend(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send.mutate({ phone: typed });
  }

  async function onVerify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!sent) return;
    setVerifying(true);
    setError(null);
    const outcome = await signInWithPhoneCode(sent.phone, code.trim(), callbackUrl);
    if (outcome.ok) {
      // A full load, so every part of the page (the header's session too) starts signed in.
      window.location.assign(callbackUrl);
      return;
    }
    setVerifying(false);
    setError(outcome.message);
    setNewCodeNeeded(outcome.newCodeNeeded);
  }

  const alert = error && (
    <p className="error" role="alert" data-testid="phone-error">
      {error}
    </p>
  );

  return (
    <section
      className="card"
      style={{ marginTop: "1.25rem" }}
      aria-labelledby={`${id}-title`}
      data-testid="phone-sign-in"
    >
      <h2 id={`${id}-title`}>Sign in with your phone</h2>
      {!sent ? (
        <form className="form" onSubmit={onSend} noValidate>
          <p className="muted small">
            We text you a {PHONE_CODE_LENGTH}-digit code. New here? Your account is made when you
            enter it.
          </p>
          <label>
            Phone number
            <input
              name="phone"
              type="tel"
              autoComplete="tel"
              placeholder="+44 7700 900123"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              required
            />
          </label>
          {alert}
          <button type="submit" className="button" disabled={send.isPending}>
            {send.isPending ? "Sending…" : "Send code"}
          </button>
        </form>
      ) : (
        <form className="form" onSubmit={onVerify} noValidate>
          <p data-testid="phone-code-sent">
            We sent a code to <strong>{sent.phone}</strong>. It works until {timeOf(sent.expiresAt)}
            .
          </p>
          <OneTimeCodeField value={code} onChange={setCode} />
          {alert}
          <div className="row">
            <button
              type="submit"
              className="button"
              disabled={verifying || code.length !== PHONE_CODE_LENGTH}
            >
              {verifying ? "Checking…" : "Verify code"}
            </button>
            <button
              type="button"
              // Once the code cannot work any more, a new one is the way on.
              className={newCodeNeeded ? "button" : "link-button"}
              disabled={send.isPending}
              onClick={() => send.mutate({ phone: sent.phone })}
            >
              {send.isPending ? "Sending…" : "Send a new code"}
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setSent(null);
                setError(null);
              }}
            >
              Use another number
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
