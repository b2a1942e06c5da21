import { z } from "zod";
import { publicAppUrl } from "../../config/env";
import { getPayment } from "../../payment/paymentViews";
import { startPayment } from "../../payment/startPayment";
import { snowflakeId } from "../inputs";
import { createTRPCRouter, studentProcedure } from "../trpc";

/**
 * Absolute return URLs for gateways that need them (Stripe): the deployment's public origin
 * when configured; otherwise relative ones, which the sandbox's own hosted page is happy with.
 */

/** Payment orders: paying trade orders from the wallet, a gateway, or both. */
export const paymentsRouter = createTRPCRouter({
  start: studentProcedure
    .input(
      z.object({
        idempotencyKey: z
          .string()
          .regex(/^[\w-]{8,64}$/, { message: "Expected a checkout key of 8–64 letters or digits" }),
        orderIds: z
          .array(snowflakeId("order"))
          .min(1, { message: "Pick at least one order" })
          .max(10, { message: "Pay at most 10 orders at once" }),
        method: z.enum(["wallet", "gateway", "mixed"], {
          message: 'Expected "wallet", "gateway" or "mixed"',
        }),
      }),
    )
    .mutation(({ ctx, input }) =>
      startPayment(ctx.db, ctx.session.user.id, { ...input, appUrl: publicAppUrl() ?? "" }),
    ),

  byId: studentProcedure
    .input(z.object({ paymentId: snowflakeId("payment") }))
    .query(({ ctx, input }) => getPayment(ctx.db, ctx.session.user.id, input.paymentId)),
});
