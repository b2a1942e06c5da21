import {
  recentReconciliationRuns,
  runReconciliation,
} from "../../reconciliation/runReconciliation";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** The reconciliation report for administrators: run it now, read recent runs. */
export const reconciliationRouter = createTRPCRouter({
  run: adminProcedure.mutation(({ ctx }) =>
    runReconciliation(ctx.db, { kind: "admin", userId: ctx.session.user.id }),
  ),
  recent: adminProcedure.query(({ ctx }) => recentReconciliationRuns(ctx.db)),
});
