CREATE TYPE "public"."refund_status" AS ENUM('requested', 'declined', 'processing', 'succeeded');--> statement-breakpoint
CREATE TYPE "public"."reconciliation_trigger" AS ENUM('command', 'admin', 'schedule');--> statement-breakpoint
CREATE TYPE "public"."payout_status" AS ENUM('paid');--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" bigint PRIMARY KEY NOT NULL,
	"order_id" bigint NOT NULL,
	"payment_id" bigint NOT NULL,
	"student_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"slots" integer NOT NULL,
	"amount" integer NOT NULL,
	"to_wallet" integer NOT NULL,
	"to_gateway" integer NOT NULL,
	"status" "refund_status" DEFAULT 'requested' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"requested_by" "lesson_party" NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"decline_reason" text,
	"gateway_reference" text,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "refunds_amounts" CHECK ("refunds"."slots" > 0 AND "refunds"."amount" >= 0 AND "refunds"."to_wallet" >= 0 AND "refunds"."to_gateway" >= 0 AND "refunds"."to_wallet" + "refunds"."to_gateway" = "refunds"."amount")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reconciliation_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"trigger" "reconciliation_trigger" NOT NULL,
	"triggered_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"checked" jsonb NOT NULL,
	"mismatch_count" integer NOT NULL,
	"mismatches" jsonb NOT NULL,
	CONSTRAINT "reconciliation_runs_count" CHECK ("reconciliation_runs"."mismatch_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "lesson_settlements" (
	"lesson_id" bigint PRIMARY KEY NOT NULL,
	"order_id" bigint NOT NULL,
	"teacher_id" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"slots" smallint NOT NULL,
	"gross" integer NOT NULL,
	"commission_bps" integer NOT NULL,
	"commission" integer NOT NULL,
	"net" integer NOT NULL,
	"ledger_transaction_id" bigint,
	"payout_id" bigint,
	"settled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lesson_settlements_amounts" CHECK ("lesson_settlements"."slots" > 0 AND "lesson_settlements"."gross" >= 0 AND "lesson_settlements"."commission" BETWEEN 0 AND "lesson_settlements"."gross" AND "lesson_settlements"."net" = "lesson_settlements"."gross" - "lesson_settlements"."commission" AND "lesson_settlements"."commission_bps" BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" bigint PRIMARY KEY NOT NULL,
	"teacher_id" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"amount" integer NOT NULL,
	"lessons" integer NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"status" "payout_status" DEFAULT 'paid' NOT NULL,
	"ledger_transaction_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_teacher_period_unique" UNIQUE("teacher_id","currency","period_end"),
	CONSTRAINT "payouts_amount" CHECK ("payouts"."amount" > 0 AND "payouts"."lessons" > 0)
);
--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "commission_bps" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "paid_amount" integer;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_triggered_by_users_id_fk" FOREIGN KEY ("triggered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_settlements" ADD CONSTRAINT "lesson_settlements_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_settlements" ADD CONSTRAINT "lesson_settlements_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_settlements" ADD CONSTRAINT "lesson_settlements_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_settlements" ADD CONSTRAINT "lesson_settlements_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refunds_order_id_index" ON "refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refunds_payment_id_index" ON "refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "refunds_student_id_created_at_index" ON "refunds" USING btree ("student_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_open_idx" ON "refunds" USING btree ("status","created_at") WHERE "refunds"."status" IN ('requested', 'processing');--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_one_live_per_order" ON "refunds" USING btree ("order_id") WHERE "refunds"."status" <> 'declined';--> statement-breakpoint
CREATE INDEX "reconciliation_runs_started_at_index" ON "reconciliation_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "lesson_settlements_teacher_id_settled_at_index" ON "lesson_settlements" USING btree ("teacher_id","settled_at");--> statement-breakpoint
CREATE INDEX "lesson_settlements_unpaid_idx" ON "lesson_settlements" USING btree ("teacher_id","currency","settled_at") WHERE "lesson_settlements"."payout_id" IS NULL;--> statement-breakpoint
CREATE INDEX "lesson_settlements_order_id_index" ON "lesson_settlements" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lesson_settlements_payout_id_index" ON "lesson_settlements" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "payouts_period_end_index" ON "payouts" USING btree ("period_end");--> statement-breakpoint
CREATE INDEX "payments_open_expiry_idx" ON "payments" USING btree ("expires_at") WHERE "payments"."status" IN ('created', 'pending');--> statement-breakpoint
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_commission" CHECK ("teachers"."commission_bps" IS NULL OR "teachers"."commission_bps" BETWEEN 0 AND 10000);--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_paid_amount" CHECK ("orders"."paid_amount" IS NULL OR "orders"."paid_amount" BETWEEN 0 AND "orders"."payable_amount");