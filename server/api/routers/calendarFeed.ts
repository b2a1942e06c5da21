import { getFeedToken, revokeFeedToken, rotateFeedToken } from "../../trade/calendarFeed";
import { authedProcedure, createTRPCRouter } from "../trpc";

/** The viewer's secret iCalendar address (the page builds the URL from the token). */
export const calendarFeedRouter = createTRPCRouter({
  get: authedProcedure.query(async ({ ctx }) => ({
    token: await getFeedToken(ctx.db, ctx.session.user.id),
  })),
  /** Creates the address, or replaces it: the old one stops working at once. */
  rotate: authedProcedure.mutation(async ({ ctx }) => ({
    token: await rotateFeedToken(ctx.db, ctx.session.user.id),
  })),
  revoke: authedProcedure.mutation(async ({ ctx }) => {
    await revokeFeedToken(ctx.db, ctx.session.user.id);
    return { token: null };
  }),
});
