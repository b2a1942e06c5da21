import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "../../db/client";
import { PhoneCodeRefused, verifyPhoneCode } from "../identity/phoneCodes";
import { signInCodeOf } from "../identity/phoneCodeWords";
import { normalizePhone } from "../identity/phoneNumber";
import { recordSignInOutcome } from "../identity/signInLimits";
import { getRateLimiter } from "../security/rateLimits";

/** A refused phone sign-in; `code` (in the redirect URL) says only what happened to the code. */
class PhoneSignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

const phoneSignInForm = z.object({
  phone: z.string().transform((typed, ctx) => {
    const phone = normalizePhone(typed);
    if (!phone) ctx.addIssue({ code: "custom", message: "Expected an E.164 number" });
    return phone ?? "";
  }),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});

/**
 * Phone sign-in (issue 8, item 2): the number and the one-time code it received (sent through
 * tRPC's phone.requestCode). guardSignIn has already limited the attempt per address and per
 * number; here the outcome is counted, so failures of one number add up across codes.
 */
export function phoneCredentials() {
  return Credentials({
    id: "phone",
    name: "Phone",
    credentials: { phone: { type: "tel" }, code: { type: "text" } },
    async authorize(raw) {
      const parsed = phoneSignInForm.safeParse(raw);
      if (!parsed.success) throw new PhoneSignInRefused("code_malformed");
      const { phone, code } = parsed.data;
      try {
        const { user } = await verifyPhoneCode(getDb(), { phone, code, purpose: "sign_in" });
        await recordSignInOutcome(getRateLimiter(), { phone }, true);
        // Role and session generation are read by the jwt callback (sessionToken.ts).
        return { id: user.id, name: user.name, email: user.email };
      } catch (error) {
        if (!(error instanceof PhoneCodeRefused)) throw error;
        await recordSignInOutcome(getRateLimiter(), { phone }, false);
        throw new PhoneSignInRefused(signInCodeOf(error.refusal));
      }
    },
  });
}
