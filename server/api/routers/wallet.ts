import { z } from "zod";
import { PLATFORM_CURRENCY } from "../../catalog/currency";
import { publicAppUrl } from "../../config/env";
import { startTopUp } from "../../payment/startTopUp";
import { walletStatement, walletSummary } from "../../payment/walletViews";
import { createTRPCRouter, studentProcedure } from "../trpc";

/** Same rule as the payments router: absolute return URLs when the origin is configured. */

export const walletCurrency = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: "Expected a currency code such as USD" });

/** The signed-in student's wallet: balances, statement, top-ups through the gateway. */
export const walletRouter = createTRPCRouter({
  summary: studentProcedure.query(({ ctx }) => walletSummary(ctx.db, ctx.session.user.id)),

  statement: studentProcedure
    .input(
      z.object({
        currency: walletCurrency.default(PLATFORM_CURRENCY),
        before: z.number().int().positive().nullish(),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(({ ctx, input }) =>
      walletStatement(ctx.db, ctx.session.user.id, input.currency, {
        before: input.before ?? null,
        limit: input.limit,
      }),
    ),

  topUp: studentProcedure
    .input(
      z.object({
        idempotencyKey: z
          .string()
          .regex(/^[\w-]{8,64}$/, { message: "Expected a checkout key of 8–64 letters or digits" }),
        amount: z.number({ message: "Expected an amount" }).int({
          message: "Expected the amount in cents",
        }),
        currency: walletCurrency,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const started = await startTopUp(ctx.db, ctx.session.user.id, {
        ...input,
        appUrl: publicAppUrl() ?? "",
      });
      return { paymentId: started.paymentId, redirectUrl: started.redirectUrl };
    }),
});
