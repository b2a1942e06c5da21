import { z } from "zod";
import { commissionRates, setTeacherCommission } from "../../settlement/commissionRates";
import { listPayoutRuns } from "../../settlement/payoutRuns";
import { runWeeklyPayouts } from "../../settlement/runPayouts";
import { teacherEarnings } from "../../settlement/teacherEarnings";
import { teacherId } from "../inputs";
import { adminProcedure, createTRPCRouter, teacherProcedure } from "../trpc";

/** A commission percentage: 0–100 with at most two decimals (17.5, 12.25). */
const commissionPercent = z
  .number({ message: "Expected a percentage" })
  .min(0, { message: "Use a percentage from 0 to 100" })
  .max(100, { message: "Use a percentage from 0 to 100" })
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, {
    message: "Use at most two decimals",
  });

/** Teacher earnings, and the admin's payout runs and commission rates. */
export const settlementRouter = createTRPCRouter({
  earnings: teacherProcedure.query(({ ctx }) =>
    teacherEarnings(ctx.db, ctx.teacher.id, new Date()),
  ),

  payoutRuns: adminProcedure.query(({ ctx }) => listPayoutRuns(ctx.db)),

  runPayouts: adminProcedure.mutation(async ({ ctx }) => {
    const run = await runWeeklyPayouts(ctx.db, new Date());
    return {
      periodEnd: run.periodEnd,
      payouts: run.created.length,
      teachers: new Set(run.created.map((p) => p.teacherId)).size,
    };
  }),

  commissions: adminProcedure.query(({ ctx }) => commissionRates(ctx.db)),

  setCommission: adminProcedure
    .input(z.object({ teacherId, percent: commissionPercent.nullable() }))
    .mutation(({ ctx, input }) => setTeacherCommission(ctx.db, input.teacherId, input.percent)),
});
