import { signUpInput } from "../../identity/credentials";
import { registerUser } from "../../identity/registerUser";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => registerUser(ctx.db, input)),

  me: authedProcedure.query(({ ctx }) => ctx.session.user),
});
