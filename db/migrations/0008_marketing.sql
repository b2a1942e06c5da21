CREATE TYPE "public"."coupon_kind" AS ENUM('amount_off', 'percent_off', 'free_trial');--> statement-breakpoint
CREATE TYPE "public"."coupon_status" AS ENUM('pending', 'available', 'locked', 'used', 'expired', 'void');--> statement-breakpoint
CREATE TYPE "public"."offer_funder" AS ENUM('platform', 'teacher');--> statement-breakpoint
CREATE TYPE "public"."offer_scope_kind" AS ENUM('all', 'subjects', 'teachers', 'courses');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('active', 'paused', 'retired');--> statement-breakpoint
CREATE TYPE "public"."promotion_kind" AS ENUM('percent_off', 'amount_off', 'first_lesson_price', 'package_discount');--> statement-breakpoint
CREATE TYPE "public"."promotion_use_status" AS ENUM('reserved', 'consumed', 'released');--> statement-breakpoint
CREATE TABLE "coupon_batches" (
	"id" bigint PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"funder" "offer_funder" NOT NULL,
	"teacher_id" bigint,
	"created_by" uuid NOT NULL,
	"kind" "coupon_kind" NOT NULL,
	"amount_off" integer,
	"percent_bps" integer,
	"cap" integer,
	"currency" char(3) NOT NULL,
	"scope_kind" "offer_scope_kind" DEFAULT 'all' NOT NULL,
	"scope_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_order_amount" integer DEFAULT 0 NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"valid_days_after_claim" integer,
	"claim_until" timestamp with time zone,
	"budget_count" integer,
	"budget_amount" integer,
	"issued_count" integer DEFAULT 0 NOT NULL,
	"issued_amount" integer DEFAULT 0 NOT NULL,
	"used_count" integer DEFAULT 0 NOT NULL,
	"discount_given" integer DEFAULT 0 NOT NULL,
	"per_user_limit" integer DEFAULT 1 NOT NULL,
	"exclusive" boolean DEFAULT false NOT NULL,
	"public" boolean DEFAULT true NOT NULL,
	"claim_code" text,
	"status" "offer_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupon_batches_claimCode_unique" UNIQUE("claim_code"),
	CONSTRAINT "coupon_batches_funder" CHECK (("coupon_batches"."funder" = 'teacher') = ("coupon_batches"."teacher_id" IS NOT NULL)),
	CONSTRAINT "coupon_batches_rule" CHECK (CASE "coupon_batches"."kind"
        WHEN 'amount_off' THEN "coupon_batches"."amount_off" > 0 AND "coupon_batches"."percent_bps" IS NULL
        WHEN 'percent_off' THEN "coupon_batches"."percent_bps" BETWEEN 1 AND 10000 AND "coupon_batches"."amount_off" IS NULL AND ("coupon_batches"."cap" IS NULL OR "coupon_batches"."cap" > 0)
        ELSE "coupon_batches"."amount_off" IS NULL AND "coupon_batches"."percent_bps" IS NULL END),
	CONSTRAINT "coupon_batches_validity" CHECK (("coupon_batches"."valid_days_after_claim" IS NULL) <> ("coupon_batches"."valid_until" IS NULL) AND ("coupon_batches"."valid_days_after_claim" IS NULL OR "coupon_batches"."valid_days_after_claim" BETWEEN 1 AND 3660) AND ("coupon_batches"."valid_from" IS NULL OR "coupon_batches"."valid_until" IS NULL OR "coupon_batches"."valid_from" < "coupon_batches"."valid_until")),
	CONSTRAINT "coupon_batches_budget" CHECK (("coupon_batches"."budget_count" IS NULL OR "coupon_batches"."issued_count" <= "coupon_batches"."budget_count") AND ("coupon_batches"."budget_amount" IS NULL OR "coupon_batches"."issued_amount" <= "coupon_batches"."budget_amount") AND "coupon_batches"."issued_count" >= 0 AND "coupon_batches"."issued_amount" >= 0 AND "coupon_batches"."used_count" BETWEEN 0 AND "coupon_batches"."issued_count" AND "coupon_batches"."discount_given" >= 0),
	CONSTRAINT "coupon_batches_limits" CHECK ("coupon_batches"."per_user_limit" >= 1 AND "coupon_batches"."min_order_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "coupon_daily_uses" (
	"student_id" uuid NOT NULL,
	"day" date NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "coupon_daily_uses_student_id_day_pk" PRIMARY KEY("student_id","day"),
	CONSTRAINT "coupon_daily_uses_used" CHECK ("coupon_daily_uses"."used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" bigint PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"batch_id" bigint NOT NULL,
	"owner_user_id" uuid,
	"owner_phone" text,
	"claim_key" text NOT NULL,
	"status" "coupon_status" NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"order_id" bigint,
	"locked_at" timestamp with time zone,
	"used_at" timestamp with time zone,
	"discount_amount" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_code_unique" UNIQUE("code"),
	CONSTRAINT "coupons_batch_claim_key_unique" UNIQUE("batch_id","claim_key"),
	CONSTRAINT "coupons_owner" CHECK ("coupons"."owner_user_id" IS NOT NULL OR "coupons"."owner_phone" IS NOT NULL),
	CONSTRAINT "coupons_pending" CHECK (("coupons"."status" = 'pending') = ("coupons"."owner_user_id" IS NULL)),
	CONSTRAINT "coupons_order" CHECK (("coupons"."status" IN ('locked', 'used')) = ("coupons"."order_id" IS NOT NULL)),
	CONSTRAINT "coupons_validity" CHECK ("coupons"."valid_from" < "coupons"."valid_until")
);
--> statement-breakpoint
CREATE TABLE "order_discounts" (
	"order_id" bigint NOT NULL,
	"source" text NOT NULL,
	"offer_id" bigint NOT NULL,
	"title" text NOT NULL,
	"amount" integer NOT NULL,
	CONSTRAINT "order_discounts_order_id_source_pk" PRIMARY KEY("order_id","source"),
	CONSTRAINT "order_discounts_amount" CHECK ("order_discounts"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "promotion_targets" (
	"target_kind" "offer_scope_kind" NOT NULL,
	"target_id" text NOT NULL,
	"promotion_id" bigint NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "promotion_targets_target_kind_target_id_promotion_id_pk" PRIMARY KEY("target_kind","target_id","promotion_id")
);
--> statement-breakpoint
CREATE TABLE "promotion_uses" (
	"promotion_id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"student_id" uuid NOT NULL,
	"status" "promotion_use_status" DEFAULT 'reserved' NOT NULL,
	"discount_amount" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "promotion_uses_promotion_id_order_id_pk" PRIMARY KEY("promotion_id","order_id"),
	CONSTRAINT "promotion_uses_discount" CHECK ("promotion_uses"."discount_amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" bigint PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"funder" "offer_funder" NOT NULL,
	"teacher_id" bigint,
	"created_by" uuid NOT NULL,
	"kind" "promotion_kind" NOT NULL,
	"percent_bps" integer,
	"amount_off" integer,
	"price" integer,
	"min_hours" integer,
	"currency" char(3) NOT NULL,
	"scope_kind" "offer_scope_kind" NOT NULL,
	"scope_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"stock_total" integer,
	"stock_used" integer DEFAULT 0 NOT NULL,
	"per_user_limit" integer,
	"priority" integer DEFAULT 0 NOT NULL,
	"exclusive" boolean DEFAULT false NOT NULL,
	"status" "offer_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_funder" CHECK (("promotions"."funder" = 'teacher') = ("promotions"."teacher_id" IS NOT NULL)),
	CONSTRAINT "promotions_rule" CHECK (CASE "promotions"."kind"
        WHEN 'percent_off' THEN "promotions"."percent_bps" BETWEEN 1 AND 10000
        WHEN 'amount_off' THEN "promotions"."amount_off" > 0
        WHEN 'first_lesson_price' THEN "promotions"."price" >= 0
        ELSE "promotions"."percent_bps" BETWEEN 1 AND 10000 AND "promotions"."min_hours" >= 1 END),
	CONSTRAINT "promotions_window" CHECK ("promotions"."starts_at" < "promotions"."ends_at"),
	CONSTRAINT "promotions_stock" CHECK ("promotions"."stock_used" >= 0 AND ("promotions"."stock_total" IS NULL OR "promotions"."stock_used" <= "promotions"."stock_total") AND ("promotions"."per_user_limit" IS NULL OR "promotions"."per_user_limit" >= 1))
);
--> statement-breakpoint
ALTER TABLE "coupon_batches" ADD CONSTRAINT "coupon_batches_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_batches" ADD CONSTRAINT "coupon_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_daily_uses" ADD CONSTRAINT "coupon_daily_uses_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_batch_id_coupon_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."coupon_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_discounts" ADD CONSTRAINT "order_discounts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_targets" ADD CONSTRAINT "promotion_targets_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_uses" ADD CONSTRAINT "promotion_uses_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_uses" ADD CONSTRAINT "promotion_uses_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_uses" ADD CONSTRAINT "promotion_uses_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coupon_batches_teacher_id_index" ON "coupon_batches" USING btree ("teacher_id");--> statement-breakpoint
CREATE INDEX "coupon_batches_status_created_at_index" ON "coupon_batches" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "coupons_owner_user_id_status_index" ON "coupons" USING btree ("owner_user_id","status");--> statement-breakpoint
CREATE INDEX "coupons_pending_phone_idx" ON "coupons" USING btree ("owner_phone") WHERE "coupons"."owner_user_id" IS NULL;--> statement-breakpoint
CREATE INDEX "coupons_batch_id_owner_user_id_index" ON "coupons" USING btree ("batch_id","owner_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_one_live_per_order" ON "coupons" USING btree ("order_id") WHERE "coupons"."status" IN ('locked', 'used');--> statement-breakpoint
CREATE INDEX "promotion_targets_lookup_idx" ON "promotion_targets" USING btree ("target_kind","target_id","ends_at");--> statement-breakpoint
CREATE INDEX "promotion_targets_promotion_id_index" ON "promotion_targets" USING btree ("promotion_id");--> statement-breakpoint
CREATE INDEX "promotion_uses_promotion_id_student_id_index" ON "promotion_uses" USING btree ("promotion_id","student_id");--> statement-breakpoint
CREATE INDEX "promotion_uses_order_id_index" ON "promotion_uses" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "promotions_teacher_id_index" ON "promotions" USING btree ("teacher_id");--> statement-breakpoint
CREATE INDEX "promotions_status_ends_at_index" ON "promotions" USING btree ("status","ends_at");