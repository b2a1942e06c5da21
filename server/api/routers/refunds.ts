import { z } from "zod";
import { approveRefund, declineRefund } from "../../payment/decideRefund";
import { orderRefunds, refundsForAdmin } from "../../payment/refundViews";
import { requestRefund } from "../../payment/requestRefund";
import { partyOf } from "../../trade/tradeAccess";
import { snowflakeId } from "../inputs";
import {
  adminProcedure,
  createTRPCRouter,
  studentProcedure,
  teacherProcedure,
  tradeActorProcedure,
} from "../trpc";

const orderId = snowflakeId("order");
const refundId = snowflakeId("refund");
const reason = z
  .string()
  .trim()
  .min(3, { message: "Say why, in at least 3 characters" })
  .max(500, { message: "Keep the reason under 500 characters" });

/** Refunds of unused hours: students ask, teachers refund their own orders, admins decide. */
export const refundsRouter = createTRPCRouter({
  request: studentProcedure
    .input(z.object({ orderId, reason: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      requestRefund(ctx.db, { role: "student", userId: ctx.session.user.id }, input),
    ),

  /** An order's refunds and what a refund would give back now, for its student or teacher. */
  forOrder: tradeActorProcedure
    .input(z.object({ orderId }))
    .query(({ ctx, input }) => orderRefunds(ctx.db, partyOf(ctx.actor), input.orderId, new Date())),

  refundOrder: teacherProcedure
    .input(z.object({ orderId, reason }))
    .mutation(({ ctx, input }) =>
      requestRefund(
        ctx.db,
        { role: "teacher", teacherId: ctx.teacher.id, userId: ctx.session.user.id },
        input,
      ),
    ),

  pending: adminProcedure.query(({ ctx }) => refundsForAdmin(ctx.db)),

  approve: adminProcedure
    .input(z.object({ refundId }))
    .mutation(({ ctx, input }) =>
      approveRefund(ctx.db, { userId: ctx.session.user.id }, input.refundId),
    ),

  decline: adminProcedure
    .input(z.object({ refundId, reason }))
    .mutation(({ ctx, input }) => declineRefund(ctx.db, { userId: ctx.session.user.id }, input)),
});
