import { z } from "zod";
import { cachedPriceCard, cachedTeacherStudio } from "../../catalog/cachedReads";
import { listApprovedTeachers, listSubjects } from "../../catalog/teacherDirectory";
import { getOwnTeacherProfile } from "../../identity/ownTeacherProfile";
import { pageNumber, subjectSlug, teacherId } from "../inputs";
import { createTRPCRouter, publicProcedure, teacherProcedure } from "../trpc";

export const TEACHERS_PAGE_SIZE = 12;

export const teachersRouter = createTRPCRouter({
  list: publicProcedure
    .input(z.object({ subject: subjectSlug.optional(), page: pageNumber }))
    .query(({ ctx, input }) =>
      listApprovedTeachers(ctx.db, { ...input, pageSize: TEACHERS_PAGE_SIZE }),
    ),

  subjects: publicProcedure.query(({ ctx }) => listSubjects(ctx.db)),

  byId: publicProcedure
    .input(z.object({ id: teacherId }))
    .query(({ ctx, input }) => cachedTeacherStudio(ctx.db, ctx.cache, input.id)),

  priceCard: publicProcedure
    .input(z.object({ id: teacherId }))
    .query(({ ctx, input }) => cachedPriceCard(ctx.db, ctx.cache, input.id)),

  me: teacherProcedure.query(({ ctx }) => getOwnTeacherProfile(ctx.db, ctx.teacher.id)),
});
