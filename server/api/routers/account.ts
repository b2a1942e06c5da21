import { oidcSettings } from "../../config/env";
import { accountMailDeps } from "../../identity/accountMailDelivery";
import {
  changePasswordInput,
  forgotPasswordInput,
  resetPasswordInput,
  signUpInput,
} from "../../identity/credentials";
import { emailStatus, sendVerificationMail } from "../../identity/emailVerification";
import { changePassword } from "../../identity/passwordChange";
import { requestPasswordReset, resetPassword } from "../../identity/passwordReset";
import { registerUser } from "../../identity/registerUser";
import { revokeSessions } from "../../identity/revokeSessions";
import { accountOverview, unlinkSso } from "../../identity/ssoAccounts";
import { getRateLimiter } from "../../security/rateLimits";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    const user = await registerUser(ctx.db, input);
    // The account has committed, so the link names a real one. A mail that cannot go now (the
    // address's mail limit, the relay down) does not undo the sign-up: /me/account can resend.
    await sendVerificationMail(ctx.db, user.id, accountMailDeps(ctx.rateLimiter)).catch(
      (error: unknown) => {
        console.warn(`[mail] no verification mail at sign-up: ${(error as Error).message}`);
      },
    );
    return user;
  }),

  me: authedProcedure.query(({ ctx }) => ctx.session.user),

  /** The signed-in account as /me/account shows it: who, and every way it can sign in. */
  overview: authedProcedure.query(async ({ ctx }) => {
    const overview = await accountOverview(ctx.db, ctx.session.user.id);
    const sso = oidcSettings();
    return { ...overview, sso: { offered: sso !== null, name: sso?.name ?? "Single sign-on" } };
  }),

  /** Ends this account's sessions on every device (this one too; the page then signs out). */
  signOutEverywhere: authedProcedure.mutation(({ ctx }) =>
    revokeSessions(ctx.db, ctx.session.user.id),
  ),

  /** Removes the single sign-on link, unless it is the account's last way in (CONFLICT). */
  unlinkSso: authedProcedure.mutation(({ ctx }) => unlinkSso(ctx.db, ctx.session.user.id)),

  /** The account's email address and when it was verified (null: not yet). */
  emailStatus: authedProcedure.query(({ ctx }) => emailStatus(ctx.db, ctx.session.user.id)),

  /** Mails a new verification link (limited per address: `accountMail`). */
  resendVerification: authedProcedure.mutation(async ({ ctx }) => {
    await sendVerificationMail(ctx.db, ctx.session.user.id, accountMailDeps(ctx.rateLimiter));
    return { sent: true };
  }),

  /**
   * "Forgot your password?": the same answer whether or not the address has an account
   * (limited per network address and per address named).
   */
  requestPasswordReset: publicProcedure
    .input(forgotPasswordInput)
    .mutation(async ({ ctx, input }) => {
      const { message } = await requestPasswordReset(
        ctx.db,
        { email: input.email, clientAddress: ctx.clientAddress },
        accountMailDeps(ctx.rateLimiter),
      );
      return { message };
    }),

  /** Sets a new password from a mailed reset link; ends every session of the account. */
  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    await resetPassword(ctx.db, input, { limiter: ctx.rateLimiter ?? getRateLimiter() });
    return { reset: true };
  }),

  /** Current and new password; ends every session of the account (the page signs in again). */
  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.db, ctx.session.user.id, input, ctx.rateLimiter ?? getRateLimiter());
    return { changed: true };
  }),
});
