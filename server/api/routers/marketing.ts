import { z } from "zod";
import { livePrice } from "../../marketing/livePrice";
import { snowflakeId } from "../inputs";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { lessonSlots } from "./trade";

const purchase = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("lesson"), slots: lessonSlots }),
    z.object({ kind: z.literal("package"), hours: z.number().int().min(1).max(100) }),
  ],
  { message: 'Expected a purchase of kind "lesson" or "package"' },
);

/** What students see of marketing: the studio widget's live best price. */
export const marketingRouter = createTRPCRouter({
  /** Public; a signed-in student also gets their coupons and first-lesson eligibility. */
  price: publicProcedure
    .input(z.object({ courseId: snowflakeId("course"), purchase }))
    .query(({ ctx, input }) =>
      livePrice(
        ctx.db,
        ctx.cache,
        input,
        ctx.session?.user.role === "student" ? ctx.session.user.id : null,
      ),
    ),
});
