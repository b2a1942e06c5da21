import { z } from "zod";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import { decisionReason } from "../../onboarding/applicationRules";
import {
  approveApplication,
  listApplications,
  rejectApplication,
} from "../../onboarding/teacherApplications";
import { changeTeacherStanding, listTeachersForReview } from "../../onboarding/teacherStanding";
import { snowflakeId, teacherId } from "../inputs";
import { adminProcedure, createTRPCRouter } from "../trpc";

const applicationId = snowflakeId("application");

/**
 * The back office's teacher desk (/admin/teachers): decide applications, suspend and reinstate
 * teachers. After each committed change the teacher's cached reads and studio page are
 * expired, so they appear in or vanish from the public site at once.
 */
export const teacherAdminRouter = createTRPCRouter({
  applications: adminProcedure
    .input(z.object({ status: z.enum(["submitted", "approved", "rejected"]).optional() }))
    .query(({ ctx, input }) => listApplications(ctx.db, input)),

  approve: adminProcedure.input(z.object({ applicationId })).mutation(async ({ ctx, input }) => {
    const approved = await approveApplication(ctx.db, ctx.session.user.id, input.applicationId);
    await markTeacherChanged(ctx.cache, approved.teacherId);
    return approved;
  }),

  reject: adminProcedure
    .input(z.object({ applicationId, reason: decisionReason }))
    .mutation(({ ctx, input }) =>
      rejectApplication(ctx.db, ctx.session.user.id, input.applicationId, input.reason),
    ),

  teachers: adminProcedure
    .input(
      z.object({
        status: z.enum(["applied", "approved", "rejected", "suspended"]).optional(),
        q: z.string().trim().max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => listTeachersForReview(ctx.db, input)),

  suspend: adminProcedure
    .input(z.object({ teacherId, reason: decisionReason }))
    .mutation(async ({ ctx, input }) => {
      const changed = await changeTeacherStanding(ctx.db, input.teacherId, "suspend", input.reason);
      await markTeacherChanged(ctx.cache, input.teacherId);
      return changed;
    }),

  reinstate: adminProcedure.input(z.object({ teacherId })).mutation(async ({ ctx, input }) => {
    const changed = await changeTeacherStanding(ctx.db, input.teacherId, "reinstate", null);
    await markTeacherChanged(ctx.cache, input.teacherId);
    return changed;
  }),
});
