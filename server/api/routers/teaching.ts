import { applicationForm } from "../../onboarding/applicationRules";
import { myTeaching, submitApplication } from "../../onboarding/teacherApplications";
import { getPrivateStorage } from "../../storage";
import { authedProcedure, createTRPCRouter, studentProcedure } from "../trpc";

/**
 * Applying to teach (/teach). The certificate itself is served by a route handler,
 * app/teach/applications/[applicationId]/certificate/route.ts, to the applicant and admins.
 */
export const teachingRouter = createTRPCRouter({
  /** Multipart: the fields of `applicationForm` and the certificate file. */
  submit: studentProcedure.input(applicationForm).mutation(async ({ ctx, input }) => {
    const { certificate, ...fields } = input;
    const bytes = new Uint8Array(await certificate.arrayBuffer());
    return submitApplication(ctx.db, getPrivateStorage(), ctx.session.user.id, fields, {
      bytes,
      name: certificate.name,
    });
  }),

  /** The signed-in user's latest application, teacher status and stored role. */
  mine: authedProcedure.query(({ ctx }) => myTeaching(ctx.db, ctx.session.user.id)),
});
