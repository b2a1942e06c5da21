"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useId, useState } from "react";
import { PHONE_CODE_LENGTH } from "@/server/identity/phoneCodeWords";
import { useTRPC } from "../_trpc/client";
import { httpStatusOf } from "./AreaNotice";
import { signInHref } from "./callbackUrl";
import { OneTimeCodeField } from "./OneTimeCodeField";

const dayOf = (at: Date) => at.toLocaleDateString([], { dateStyle: "medium" });

/**
 * /me/account: the account's verified phone number — add or change it with a code sent to the
 * new number, or remove it while the account keeps another way to sign in. Coupons granted
 * to the number move to the account when it is verified.
 */
export function AccountPhoneSection() {
  const trpc = useTRPC();
  const id = useId();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.phone.mine.queryOptions());
  const [typed, setTyped] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.phone.mine.queryKey() });

  const send = useMutation(
    trpc.phone.requestLinkCode.mutationOptions({
      onMutate: () => setDone(null),
      onSuccess: (answer) => {
        setSentTo(answer.phone);
        setCode("");
      },
    }),
  );
  const link = useMutation(
    trpc.phone.link.mutationOptions({
      onSuccess: (answer) => {
        setSentTo(null);
        setTyped("");
        setCode("");
        const coupons = answer.couponsAttached;
        setDone(
          `${answer.phone} is now your verified number.${
            coupons > 0
              ? ` ${coupons} coupon${coupons === 1 ? "" : "s"} waiting for it ${coupons === 1 ? "is" : "are"} now yours.`
              : ""
          }`,
        );
        void refresh();
      },
    }),
  );
  const unlink = useMutation(
    trpc.phone.unlink.mutationOptions({
      onSuccess: () => {
        setDone("Your phone number was removed.");
        void refresh();
      },
    }),
  );
  const error = send.error ?? link.error ?? unlink.error;

  if (mine.isPending) {
    return <div className="skeleton" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (mine.isError) {
    return httpStatusOf(mine.error) === 401 ? (
      <p className="notice" data-testid="sign-in-notice">
        <Link href={signInHref("/me/account")}>Sign in</Link> to manage your account.
      </p>
    ) : (
      <p className="notice" role="alert">
        {mine.error.message}
      </p>
    );
  }
  const current = mine.data;

  function onSend(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    link.reset();
    send.mutate({ phone: typed });
  }
  function onLink(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sentTo) link.mutate({ phone: sentTo, code: code.trim() });
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="account-phone">
      <h2 id={`${id}-title`}>Phone number</h2>
      {current.phone ? (
        <p data-testid="account-phone-current">
          <strong>{current.phone}</strong>
          {current.verifiedAt && (
            <span className="muted small"> (verified {dayOf(current.verifiedAt)})</span>
          )}
          . You can sign in with a code sent to it.
        </p>
      ) : (
        <p className="muted">
          No phone number yet. Add one to sign in with a code by text message.
        </p>
      )}
      {done && (
        <p role="status" data-testid="account-phone-done">
          {done}
        </p>
      )}
      {!sentTo ? (
        <form className="form" onSubmit={onSend} noValidate>
          <label>
            {current.phone ? "New phone number" : "Phone number"}
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
          <div className="row">
            <button type="submit" className="button" disabled={send.isPending}>
              {send.isPending ? "Sending…" : "Send code"}
            </button>
            {current.canRemove && (
              <button
                type="button"
                className="link-button"
                disabled={unlink.isPending}
                onClick={() => unlink.mutate()}
              >
                Remove number
              </button>
            )}
          </div>
        </form>
      ) : (
        <form className="form" onSubmit={onLink} noValidate>
          <p>
            We sent a code to <strong>{sentTo}</strong>.
          </p>
          <OneTimeCodeField value={code} onChange={setCode} />
          <div className="row">
            <button
              type="submit"
              className="button"
              disabled={link.isPending || code.length !== PHONE_CODE_LENGTH}
            >
              {link.isPending ? "Checking…" : "Add number"}
            </button>
            <button
              type="button"
              className="link-button"
              disabled={send.isPending}
              onClick={() => send.mutate({ phone: sentTo })}
            >
              Send a new code
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setSentTo(null);
                link.reset();
              }}
            >
              Use another number
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error" role="alert" data-testid="account-phone-error">
          {error.message}
        </p>
      )}
    </section>
  );
}
