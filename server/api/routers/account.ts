import { oidcSettings } from "../../config/env";
import { signUpInput } from "../../identity/credentials";
import { registerUser } from "../../identity/registerUser";
import { accountOverview, unlinkSso } from "../../identity/ssoAccounts";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => registerUser(ctx.db, input)),

  me: authedProcedure.query(({ ctx }) => ctx.session.user),

  /** The signed-in account as /me/account shows it: who, and every way it can sign in. */
  overview: authedProcedure.query(async ({ ctx }) => {
    const overview = await accountOverview(ctx.db, ctx.session.user.id);
    const sso = oidcSettings();
    return { ...overview, sso: { offered: sso !== null, name: sso?.name ?? "Single sign-on" } };
  }),

  /** Removes the single sign-on link, unless it is the account's last way in (CONFLICT). */
  unlinkSso: authedProcedure.mutation(({ ctx }) => unlinkSso(ctx.db, ctx.session.user.id)),
});
