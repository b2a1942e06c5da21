import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { teachers } from "../../../db/schema";
import { approveRefund, declineRefund } from "../../payment/decideRefund";
import { orderRefunds, refundsForAdmin } from "../../payment/refundViews";
import { requestRefund } from "../../payment/requestRefund";
import type { OrderParty } from "../../trade/orderRefund";
import { snowflakeId } from "../inputs";
import {
  adminProcedure,
  authedProcedure,
  createTRPCRouter,
  studentProcedure,
  teacherProcedure,
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
  forOrder: authedProcedure.input(z.object({ orderId })).query(async ({ ctx, input }) => {
    const { role, id } = ctx.session.user;
    let party: OrderParty = "any";
    if (role === "student") party = { studentId: id };
    else if (role === "teacher") {
      const [teacher] = await ctx.db
        .select({ id: teachers.id })
        .from(teachers)
        .where(eq(teachers.userId, id))
        .limit(1);
      if (!teacher) {
        throw new TRPCError({ code: "FORBIDDEN", message: "This account has no teacher profile." });
      }
      party = { teacherId: teacher.id };
    }
    return orderRefunds(ctx.db, party, input.orderId, new Date());
  }),

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
