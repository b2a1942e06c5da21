import { eq } from "drizzle-orm";
import { z } from "zod";
import { teachers } from "../../../db/schema";
import {
  changePromotionStatus,
  createPromotion,
  editPromotion,
  listPromotions,
  promotionAuthor,
} from "../../marketing/promotionEditing";
import { createPromotionInput, editPromotionInput } from "../../marketing/promotionRules";
import { snowflakeId } from "../inputs";
import { authedProcedure, createTRPCRouter } from "../trpc";

const promotionId = snowflakeId("promotion");

/** Admins (platform-funded, any scope) and teachers (their own); the author goes on the context. */
const managerProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const { id: userId, role } = ctx.session.user;
  let teacherId: string | undefined;
  if (role === "teacher") {
    const [teacher] = await ctx.db
      .select({ id: teachers.id })
      .from(teachers)
      .where(eq(teachers.userId, userId))
      .limit(1);
    teacherId = teacher?.id;
  }
  const author = await promotionAuthor(ctx.db, { role, userId, teacherId });
  return next({ ctx: { author } });
});

/** Promotions: create, edit within rules, pause/resume/retire, and monitor. */
export const promotionsRouter = createTRPCRouter({
  /** Admins see every promotion; teachers their own. */
  list: managerProcedure.query(({ ctx }) =>
    listPromotions(
      ctx.db,
      ctx.author.role === "teacher" ? { teacherId: ctx.author.teacherId } : {},
    ),
  ),

  create: managerProcedure
    .input(createPromotionInput)
    .mutation(({ ctx, input }) => createPromotion(ctx.db, ctx.cache, ctx.author, input)),

  edit: managerProcedure
    .input(z.object({ promotionId, changes: editPromotionInput }))
    .mutation(({ ctx, input }) =>
      editPromotion(ctx.db, ctx.cache, ctx.author, input.promotionId, input.changes),
    ),

  setStatus: managerProcedure
    .input(z.object({ promotionId, action: z.enum(["pause", "resume", "retire"]) }))
    .mutation(({ ctx, input }) =>
      changePromotionStatus(ctx.db, ctx.cache, ctx.author, input.promotionId, input.action),
    ),
});
