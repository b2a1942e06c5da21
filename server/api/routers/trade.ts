import { z } from "zod";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import { MAX_LESSON_SLOTS } from "../../trade/bookingRules";
import { getOrderDetail, listStudentOrders, listTeacherOrders } from "../../trade/orderViews";
import { newOrderId, placeOrder } from "../../trade/placeOrder";
import { quoteOrder } from "../../trade/quoteOrder";
import { cancelUnpaidOrder } from "../../trade/unpaidOrders";
import { snowflakeId, teacherId } from "../inputs";
import { createTRPCRouter, rateLimited, studentProcedure, teacherProcedure } from "../trpc";

export const orderId = snowflakeId("order");
export const lessonSlots = z
  .number()
  .int()
  .min(1, { message: "A lesson lasts at least 30 minutes" })
  .max(MAX_LESSON_SLOTS, { message: "A lesson lasts at most 120 minutes" });

const purchase = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("lesson"), slots: lessonSlots }),
    z.object({ kind: z.literal("package"), hours: z.number().int().min(1).max(100) }),
  ],
  { message: 'Expected a purchase of kind "lesson" or "package"' },
);

/** The coupon to use: "best" (the default), "none", or one of the student's coupon ids. */
const couponChoice = z
  .union([z.literal("best"), z.literal("none"), snowflakeId("coupon")], {
    message: 'Expected "best", "none" or a coupon id',
  })
  .default("best");

/** Orders: checkout and what students and teachers see of them. */
export const tradeRouter = createTRPCRouter({
  /** Issued when the checkout page opens; submitting it again returns the same order. */
  newOrderId: studentProcedure.mutation(() => ({ orderId: newOrderId() })),

  /** The price checkout shows: list price, the suggested offers, the student's coupons. */
  quote: studentProcedure
    .input(z.object({ teacherId, courseId: snowflakeId("course"), purchase }))
    .query(({ ctx, input }) => quoteOrder(ctx.db, ctx.session.user.id, input)),

  placeOrder: studentProcedure
    .use(rateLimited("orderCreate"))
    .input(
      z.object({
        orderId,
        teacherId,
        courseId: snowflakeId("course"),
        purchase,
        lesson: z
          .object({ start: z.date({ message: "Expected a start time" }), slots: lessonSlots })
          .optional(),
        coupon: couponChoice,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const placed = await placeOrder(ctx.db, ctx.session.user.id, input);
      if (placed.created && placed.lesson) {
        await markTeacherChanged(ctx.cache, input.teacherId, { page: false });
      }
      return { orderId: placed.order.id, created: placed.created };
    }),

  cancelOrder: studentProcedure.input(z.object({ orderId })).mutation(async ({ ctx, input }) => {
    const order = await getOrderDetail(
      ctx.db,
      { studentId: ctx.session.user.id },
      input.orderId,
      new Date(),
    );
    await cancelUnpaidOrder(ctx.db, ctx.session.user.id, input.orderId);
    await markTeacherChanged(ctx.cache, order.teacherId, { page: false });
    return { orderId: input.orderId };
  }),

  order: studentProcedure
    .input(z.object({ orderId }))
    .query(({ ctx, input }) =>
      getOrderDetail(ctx.db, { studentId: ctx.session.user.id }, input.orderId, new Date()),
    ),

  myOrders: studentProcedure.query(({ ctx }) =>
    listStudentOrders(ctx.db, ctx.session.user.id, new Date()),
  ),

  /** A teacher's view of one of their students' orders. */
  teacherOrder: teacherProcedure
    .input(z.object({ orderId }))
    .query(({ ctx, input }) =>
      getOrderDetail(ctx.db, { teacherId: ctx.teacher.id }, input.orderId, new Date()),
    ),

  teacherOrders: teacherProcedure.query(({ ctx }) =>
    listTeacherOrders(ctx.db, ctx.teacher.id, new Date()),
  ),
});
