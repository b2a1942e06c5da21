/**
 * What a refused one-time code means to the person typing it, shared by the server (tRPC
 * errors) and the sign-in page (which only sees the short code Auth.js puts in its redirect
 * URL). No Node imports: client components use it.
 */
export const PHONE_CODE_LENGTH = 6;
export const PHONE_CODE_MAX_ATTEMPTS = 5;
export const PHONE_CODE_TTL_MINUTES = 5;

export type PhoneCodeRefusal =
  /** No code was ever sent to this number for this purpose. */
  | { reason: "none" }
  | { reason: "used" }
  | { reason: "expired" }
  /** PHONE_CODE_MAX_ATTEMPTS wrong codes were typed: the code is dead. */
  | { reason: "locked" }
  | { reason: "wrong"; attemptsLeft: number };

const SEND_NEW = "Send a new code.";

export function phoneCodeRefusalMessage(refusal: PhoneCodeRefusal): string {
  switch (refusal.reason) {
    case "none":
      return `No code is waiting for this number. ${SEND_NEW}`;
    case "used":
      return `This code has already been used. ${SEND_NEW}`;
    case "expired":
      return `This code has expired. ${SEND_NEW}`;
    case "locked":
      return `Too many wrong codes: this code is locked. ${SEND_NEW}`;
    case "wrong": {
      const left = refusal.attemptsLeft;
      if (left <= 0) {
        return `That code is wrong, and that was the last attempt: this code is locked. ${SEND_NEW}`;
      }
      return `That code is wrong. ${left} attempt${left === 1 ? "" : "s"} left.`;
    }
  }
}

/**
 * The `code` of a refused phone sign-in (Auth.js copies it into the redirect URL, so it says
 * nothing about accounts: only what happened to the code).
 */
export function signInCodeOf(refusal: PhoneCodeRefusal): string {
  return refusal.reason === "wrong"
    ? `code_wrong_${Math.max(0, refusal.attemptsLeft)}`
    : `code_${refusal.reason}`;
}

/** The refusal a sign-in `code` stands for, or null for codes of other failures. */
export function refusalOfSignInCode(code: string | undefined): PhoneCodeRefusal | null {
  const wrong = /^code_wrong_(\d)$/.exec(code ?? "");
  if (wrong) return { reason: "wrong", attemptsLeft: Number(wrong[1]) };
  switch (code) {
    case "code_none":
      return { reason: "none" };
    case "code_used":
      return { reason: "used" };
    case "code_expired":
      return { reason: "expired" };
    case "code_locked":
      return { reason: "locked" };
    default:
      return null;
  }
}
