import { z } from "zod";
import { phoneOfAccount, unlinkPhone } from "../../identity/phoneAccounts";
import { requestPhoneCode, verifyPhoneCode } from "../../identity/phoneCodes";
import { getRateLimiter } from "../../security/rateLimits";
import type { Context } from "../context";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";

// Shape only: the services normalise the number and say what is wrong with it.
const phone = z
  .string()
  .trim()
  .min(1, { message: "Enter your phone number" })
  .max(32, { message: "That is too long for a phone number" });
const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, { message: "Enter the 6-digit code from the text message" });

/** In-process callers (server rendering, tests) have no address; they share one allowance. */
const addressOf = (ctx: Context) => ctx.clientAddress ?? "in-process";
const limiterOf = (ctx: Context) => ctx.rateLimiter ?? getRateLimiter();

/**
 * Phone numbers (issue 8, item 2): codes for phone sign-in (the sign-in itself is Auth.js's
 * "phone" provider) and adding a verified number to a signed-in account (/me/account).
 */
export const phoneRouter = createTRPCRouter({
  /** Sends a sign-in code. Answers the same whether or not the number has an account. */
  requestCode: publicProcedure.input(z.object({ phone })).mutation(({ ctx, input }) =>
    requestPhoneCode(ctx.db, limiterOf(ctx), {
      phone: input.phone,
      purpose: "sign_in",
      address: addressOf(ctx),
    }),
  ),

  /** The signed-in account's number, and whether it may be removed. */
  mine: authedProcedure.query(({ ctx }) => phoneOfAccount(ctx.db, ctx.session.user.id)),

  /** Sends a code to a number the signed-in account wants to add. */
  requestLinkCode: authedProcedure.input(z.object({ phone })).mutation(({ ctx, input }) =>
    requestPhoneCode(ctx.db, limiterOf(ctx), {
      phone: input.phone,
      purpose: "link",
      userId: ctx.session.user.id,
      address: addressOf(ctx),
    }),
  ),

  /** Adds the number to the account once its code checks out. */
  link: authedProcedure.input(z.object({ phone, code })).mutation(async ({ ctx, input }) => {
    const verified = await verifyPhoneCode(ctx.db, {
      phone: input.phone,
      code: input.code,
      purpose: "link",
      userId: ctx.session.user.id,
    });
    return { phone: verified.phone, couponsAttached: verified.couponsAttached };
  }),

  /** Removes the number, unless it is the account's only way to sign in. */
  unlink: authedProcedure.mutation(({ ctx }) => unlinkPhone(ctx.db, ctx.session.user.id)),
});
