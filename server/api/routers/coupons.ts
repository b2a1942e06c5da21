import { z } from "zod";
import { claimCoupon } from "../../marketing/claimCoupon";
import { createBatch, setBatchStatus, updateBatch } from "../../marketing/couponBatches";
import { grantCoupons } from "../../marketing/couponGrants";
import { batchesFor, campaignOf, myCoupons } from "../../marketing/couponViews";
import { COUPON_KINDS, OFFER_SCOPE_KINDS, OFFER_STATUSES } from "../../marketing/offerRules";
import { snowflakeId } from "../inputs";
import {
  createTRPCRouter,
  managerProcedure,
  publicProcedure,
  rateLimited,
  studentProcedure,
} from "../trpc";

const batchId = snowflakeId("coupon batch");
const key = z.string().trim().min(8, { message: "Expected a key of 8 to 100 characters" }).max(100);
const minor = z.number().int().min(0).max(100_000_000);
const positive = z.number().int().min(1).max(100_000_000);

const batchDraft = z.object({
  title: z.string().trim().min(1, { message: "Give the batch a title" }).max(120),
  description: z.string().max(2000).optional(),
  kind: z.enum(COUPON_KINDS),
  amountOff: positive.nullable().default(null),
  percentBps: z.number().int().min(1).max(10_000).nullable().default(null),
  cap: positive.nullable().default(null),
  scopeKind: z.enum(OFFER_SCOPE_KINDS).default("all"),
  scopeIds: z.array(z.string().trim().min(1).max(40)).max(200).default([]),
  minOrderAmount: minor.default(0),
  validFrom: z.date().nullable().default(null),
  validUntil: z.date().nullable().default(null),
  validDaysAfterClaim: z.number().int().min(1).max(3660).nullable().default(null),
  claimUntil: z.date().nullable().default(null),
  budgetCount: z.number().int().min(1).max(10_000_000).nullable().default(null),
  budgetAmount: positive.nullable().default(null),
  perUserLimit: z.number().int().min(1).max(100).default(1),
  exclusive: z.boolean().default(false),
  public: z.boolean().default(true),
  claimCode: z.string().trim().max(32).nullable().default(null),
});

/** Coupon batches and claiming (issue 7): thin over server/marketing. */
export const couponsRouter = createTRPCRouter({
  claim: studentProcedure
    .use(rateLimited("couponClaim"))
    .input(
      z
        .object({
          batchId: batchId.optional(),
          claimCode: z.string().trim().min(1, { message: "Type a coupon code" }).max(40).optional(),
          requestKey: key,
        })
        .refine((v) => v.batchId || v.claimCode, {
          message: "Say which coupon to claim",
          path: ["claimCode"],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const { coupon, batch, created } = await claimCoupon(
        ctx.db,
        ctx.session.user.id,
        input,
        new Date(),
        ctx.cache,
      );
      return {
        created,
        coupon: { id: coupon.id, code: coupon.code, validUntil: coupon.validUntil },
        title: batch.title,
      };
    }),

  mine: studentProcedure.query(({ ctx }) => myCoupons(ctx.db, ctx.session.user.id, new Date())),

  campaign: publicProcedure
    .input(z.object({ batchId }))
    .query(({ ctx, input }) => campaignOf(ctx.db, input.batchId, new Date())),

  batches: managerProcedure.query(({ ctx }) => batchesFor(ctx.db, ctx.manager)),

  createBatch: managerProcedure
    .input(batchDraft)
    .mutation(({ ctx, input }) => createBatch(ctx.db, ctx.manager, input)),

  updateBatch: managerProcedure
    .input(
      z.object({
        batchId,
        title: z.string().trim().min(1).max(120).optional(),
        description: z.string().max(2000).optional(),
        claimUntil: z.date().nullable().optional(),
        budgetCount: z.number().int().min(1).max(10_000_000).optional(),
        budgetAmount: positive.optional(),
        perUserLimit: z.number().int().min(1).max(100).optional(),
      }),
    )
    .mutation(({ ctx, input: { batchId, ...edit } }) =>
      updateBatch(ctx.db, ctx.manager, batchId, edit, new Date(), ctx.cache),
    ),

  setBatchStatus: managerProcedure
    .input(z.object({ batchId, status: z.enum(OFFER_STATUSES) }))
    .mutation(async ({ ctx, input }) => {
      const { batch, voided } = await setBatchStatus(
        ctx.db,
        ctx.manager,
        input.batchId,
        input.status,
        new Date(),
        ctx.cache,
      );
      return { id: batch.id, status: batch.status, voided };
    }),

  grant: managerProcedure
    .input(
      z.object({
        batchId,
        recipients: z
          .array(z.string().max(200))
          .min(1, { message: "Name at least one recipient" })
          .max(500),
        grantKey: key,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await grantCoupons(ctx.db, ctx.manager, input, new Date(), ctx.cache);
      return {
        issued: result.issued,
        coupons: result.coupons.map(({ recipient, coupon }) => ({
          recipient,
          code: coupon.code,
          status: coupon.status,
        })),
      };
    }),
});
