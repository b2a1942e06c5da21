import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../../../db/client";
import { teachers } from "../../../db/schema";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import type { AppSession } from "../../identity/session";
import { bookLesson, rescheduleLesson } from "../../trade/lessonBooking";
import { cancelLesson, closeLesson } from "../../trade/lessonClosing";
import { REVIEW_BODY_MAX, reviewLesson } from "../../trade/lessonReview";
import { listTimetable, type TimetableViewer } from "../../trade/timetable";
import type { TradeActor } from "../../trade/tradeActor";
import { snowflakeId } from "../inputs";
import { authedProcedure, createTRPCRouter, studentProcedure, teacherProcedure } from "../trpc";
import { lessonSlots, orderId } from "./trade";

const lessonId = snowflakeId("lesson");

async function teacherIdOf(db: Executor, userId: string): Promise<string> {
  const [row] = await db
    .select({ id: teachers.id })
    .from(teachers)
    .where(eq(teachers.userId, userId))
    .limit(1);
  if (!row)
    throw new TRPCError({ code: "FORBIDDEN", message: "This account has no teacher profile." });
  return row.id;
}

/** Who the signed-in user acts as on lessons. */
async function actorOf(db: Executor, session: AppSession): Promise<TradeActor> {
  const { id, role } = session.user;
  if (role === "student") return { role: "student", userId: id };
  if (role === "admin") return { role: "admin", userId: id };
  return { role: "teacher", teacherId: await teacherIdOf(db, id) };
}

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

  cancel: authedProcedure
    .input(
      z.object({
        lessonId,
        reason: z.string().max(500, { message: "Keep the reason under 500 characters" }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const actor = await actorOf(ctx.db, ctx.session);
      const outcome = await cancelLesson(ctx.db, actor, input);
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
  timetable: authedProcedure
    .input(
      z.object({
        from: z.date({ message: "Expected a start time" }),
        to: z.date({ message: "Expected an end time" }),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { id, role } = ctx.session.user;
      if (role === "admin") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Administrators have no timetable." });
      }
      const viewer: TimetableViewer =
        role === "student"
          ? { kind: "student", userId: id }
          : { kind: "teacher", teacherId: await teacherIdOf(ctx.db, id) };
      return listTimetable(ctx.db, viewer, input, new Date());
    }),
});
