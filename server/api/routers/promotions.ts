import { z } from "zod";
import {
  changePromotionStatus,
  createPromotion,
  editPromotion,
  listPromotions,
  promotionAuthor,
} from "../../marketing/promotionEditing";
import { createPromotionInput, editPromotionInput } from "../../marketing/promotionRules";
import { snowflakeId } from "../inputs";
import { createTRPCRouter, managerProcedure } from "../trpc";

const promotionId = snowflakeId("promotion");

/** Admins (platform-funded, any scope) and teachers (their own); the author goes on the context. */
const authorProcedure = managerProcedure.use(async ({ ctx, next }) =>
  next({ ctx: { author: await promotionAuthor(ctx.db, ctx.manager) } }),
);

/** Promotions: create, edit within rules, pause/resume/retire, and monitor. */
export const promotionsRouter = createTRPCRouter({
  /** Admins see every promotion; teachers their own. */
  list: authorProcedure.query(({ ctx }) =>
    listPromotions(
      ctx.db,
      ctx.author.role === "teacher" ? { teacherId: ctx.author.teacherId } : {},
    ),
  ),

  create: authorProcedure
    .input(createPromotionInput)
    .mutation(({ ctx, input }) => createPromotion(ctx.db, ctx.cache, ctx.author, input)),

  edit: authorProcedure
    .input(z.object({ promotionId, changes: editPromotionInput }))
    .mutation(({ ctx, input }) =>
      editPromotion(ctx.db, ctx.cache, ctx.author, input.promotionId, input.changes),
    ),

  setStatus: authorProcedure
    .input(z.object({ promotionId, action: z.enum(["pause", "resume", "retire"]) }))
    .mutation(({ ctx, input }) =>
      changePromotionStatus(ctx.db, ctx.cache, ctx.author, input.promotionId, input.action),
    ),
});
