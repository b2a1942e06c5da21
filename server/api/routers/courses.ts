import {
  createCourse,
  listCourseVersions,
  listOwnCourses,
  setCourseStatus,
  updateCourse,
} from "../../catalog/courseEditing";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import {
  courseRefInput,
  createCourseInput,
  updateCourseInput,
} from "../../catalog/teacherProfileRules";
import { createTRPCRouter, teacherProcedure } from "../trpc";

/** The signed-in teacher's own courses; every write is followed by the studio's revalidation. */
export const coursesRouter = createTRPCRouter({
  mine: teacherProcedure.query(({ ctx }) => listOwnCourses(ctx.db, ctx.teacher.id)),

  versions: teacherProcedure
    .input(courseRefInput)
    .query(({ ctx, input }) => listCourseVersions(ctx.db, ctx.teacher.id, input.courseId)),

  create: teacherProcedure.input(createCourseInput).mutation(async ({ ctx, input }) => {
    const course = await createCourse(ctx.db, ctx.teacher.id, input);
    await markTeacherChanged(ctx.cache, ctx.teacher.id);
    return course;
  }),

  update: teacherProcedure.input(updateCourseInput).mutation(async ({ ctx, input }) => {
    const result = await updateCourse(ctx.db, ctx.teacher.id, input);
    if (result.changed) await markTeacherChanged(ctx.cache, ctx.teacher.id);
    return result;
  }),

  retire: teacherProcedure.input(courseRefInput).mutation(async ({ ctx, input }) => {
    const course = await setCourseStatus(ctx.db, ctx.teacher.id, input.courseId, "retired");
    await markTeacherChanged(ctx.cache, ctx.teacher.id);
    return course;
  }),

  reactivate: teacherProcedure.input(courseRefInput).mutation(async ({ ctx, input }) => {
    const course = await setCourseStatus(ctx.db, ctx.teacher.id, input.courseId, "active");
    await markTeacherChanged(ctx.cache, ctx.teacher.id);
    return course;
  }),
});
