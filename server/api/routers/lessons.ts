import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import { bookLesson, rescheduleLesson } from "../../trade/lessonBooking";
import { cancelLesson, closeLesson } from "../../trade/lessonClosing";
import { REVIEW_BODY_MAX, reviewLesson } from "../../trade/lessonReview";
import { listTimetable, type TimetableViewer } from "../../trade/timetable";
import { snowflakeId } from "../inputs";
import { createTRPCRouter, studentProcedure, teacherProcedure, tradeActorProcedure } from "../trpc";
import { lessonSlots, orderId } from "./trade";

const lessonId = snowflakeId("lesson");

/** Booking, moving, cancelling, closing and reviewing lessons; the viewer's timetable. */
export const lessonsRouter = createTRPCRouter({
  book: studentProcedure
    .input(
      z.object({
        orderId,
        start: z.date({ message: "Expected a start time" }),
        slots: lessonSlots,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const lesson = await bookLesson(ctx.db, ctx.session.user.id, input);
      await markTeacherChanged(ctx.cache, lesson.teacherId, { page: false });
      return { lessonId: lesson.id, startsAt: lesson.startsAt, endsAt: lesson.endsAt };
    }),

  reschedule: studentProcedure
    .input(z.object({ lessonId, start: z.date({ message: "Expected a start time" }) }))
    .mutation(async ({ ctx, input }) => {
      const lesson = await rescheduleLesson(ctx.db, ctx.session.user.id, input);
      await markTeacherChanged(ctx.cache, lesson.teacherId, { page: false });
      return { lessonId: lesson.id, startsAt: lesson.startsAt, endsAt: lesson.endsAt };
    }),

  cancel: tradeActorProcedure
    .input(
      z.object({
        lessonId,
        reason: z.string().max(500, { message: "Keep the reason under 500 characters" }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const outcome = await cancelLesson(ctx.db, ctx.actor, input);
      await markTeacherChanged(ctx.cache, outcome.lesson.teacherId, { page: false });
      return { lessonId: outcome.lesson.id, hoursReturned: outcome.hoursReturned };
    }),

  close: teacherProcedure
    .input(
      z.object({
        lessonId,
        outcome: z.enum(["completed", "no_show"], { message: 'Expected "completed" or "no_show"' }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const lesson = await closeLesson(
        ctx.db,
        { role: "teacher", teacherId: ctx.teacher.id },
        input,
      );
      return { lessonId: lesson.id, status: lesson.status };
    }),

  review: studentProcedure
    .input(
      z.object({
        lessonId,
        rating: z
          .number()
          .int()
          .min(1, { message: "Rate from 1 to 5 stars" })
          .max(5, { message: "Rate from 1 to 5 stars" }),
        body: z
          .string()
          .max(REVIEW_BODY_MAX, { message: `Keep the review under ${REVIEW_BODY_MAX} characters` })
          .default(""),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const review = await reviewLesson(ctx.db, ctx.session.user.id, input);
      // The studio page shows the rating and newest reviews: rebuild it now.
      await markTeacherChanged(ctx.cache, review.teacherId, { page: true });
      return { reviewId: review.reviewId };
    }),

  /** The signed-in student's or teacher's lessons starting in [from, to). */
  timetable: tradeActorProcedure
    .input(
      z.object({
        from: z.date({ message: "Expected a start time" }),
        to: z.date({ message: "Expected an end time" }),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { actor } = ctx;
      if (actor.role === "admin") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Administrators have no timetable." });
      }
      const viewer: TimetableViewer =
        actor.role === "student"
          ? { kind: "student", userId: actor.userId }
          : { kind: "teacher", teacherId: actor.teacherId };
      return listTimetable(ctx.db, viewer, input, new Date());
    }),
});
