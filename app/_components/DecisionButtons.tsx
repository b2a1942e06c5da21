"use client";

import { useState } from "react";

/**
 * An admin's decision on a request: approve at once, or refuse with a reason the requester
 * reads ("Reject…" opens the reason form, "Back" closes it). Used for refund requests and
 * teacher applications; the caller owns the mutations and their errors.
 */
export function DecisionButtons(props: {
  approve: { label: string; pendingLabel: string; pending: boolean; run: () => void };
  refuse: {
    /** The verb on the buttons: "Reject", "Decline". */
    verb: string;
    /** The submit button: "Reject the application". */
    submitLabel: string;
    pendingLabel: string;
    /** The reason field's label, saying who reads it. */
    reasonLabel: string;
    reasonMin: number;
    reasonMax: number;
    pending: boolean;
    run: (reason: string) => void;
  };
}) {
  const { approve, refuse } = props;
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState("");
  const busy = approve.pending || refuse.pending;
  if (refusing) {
    return (
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          refuse.run(reason);
        }}
      >
        <label>
          {refuse.reasonLabel}
          <textarea
            required
            minLength={refuse.reasonMin}
            maxLength={refuse.reasonMax}
            rows={2}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        <p className="row">
          <button type="submit" className="button small danger" disabled={busy}>
            {refuse.pending ? refuse.pendingLabel : refuse.submitLabel}
          </button>
          <button
            type="button"
            className="link-button"
            disabled={busy}
            onClick={() => setRefusing(false)}
          >
            Back
          </button>
        </p>
      </form>
    );
  }
  return (
    <p className="row">
      <button type="button" className="button small" disabled={busy} onClick={approve.run}>
        {approve.pending ? approve.pendingLabel : approve.label}
      </button>
      <button
        type="button"
        className="button small secondary"
        disabled={busy}
        onClick={() => setRefusing(true)}
      >
        {refuse.verb}…
      </button>
    </p>
  );
}
