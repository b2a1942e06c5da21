import { z } from "zod";
import { listReviews, REVIEWS_PAGE_MAX, REVIEWS_PAGE_SIZE } from "../../catalog/reviews";
import { teacherId } from "../inputs";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const reviewsRouter = createTRPCRouter({
  /**
   * An approved teacher's reviews, newest first, a page at a time. `cursor` is the opaque
   * `nextCursor` of the previous page; a malformed one answers 400 naming `cursor`.
   */
  list: publicProcedure
    .input(
      z.object({
        teacherId,
        cursor: z.string().max(200).nullish(),
        limit: z.number().int().min(1).max(REVIEWS_PAGE_MAX).default(REVIEWS_PAGE_SIZE),
      }),
    )
    .query(({ ctx, input }) =>
      listReviews(ctx.db, {
        teacherId: input.teacherId,
        cursor: input.cursor ?? undefined,
        limit: input.limit,
      }),
    ),
});
