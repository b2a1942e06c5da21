CREATE TYPE "public"."lesson_party" AS ENUM('student', 'teacher', 'admin', 'system');--> statement-breakpoint
CREATE TYPE "public"."lesson_status" AS ENUM('held', 'booked', 'completed', 'no_show', 'cancelled', 'expired');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('pending_payment', 'paid', 'active', 'completed', 'expired', 'cancelled', 'refund_requested', 'refunded', 'partially_refunded');--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "lessons" (
	"id" bigint PRIMARY KEY NOT NULL,
	"order_id" bigint NOT NULL,
	"teacher_id" bigint NOT NULL,
	"student_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"slots" smallint NOT NULL,
	"status" "lesson_status" NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"hours_returned" boolean,
	"cancelled_by" "lesson_party",
	"cancel_reason" text,
	"cancelled_at" timestamp with time zone,
	"completed_by" "lesson_party",
	"completed_at" timestamp with time zone,
	"reschedule_count" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lessons_length" CHECK ("lessons"."slots" BETWEEN 1 AND 4),
	CONSTRAINT "lessons_end" CHECK ("lessons"."ends_at" = "lessons"."starts_at" + make_interval(mins => "lessons"."slots" * 30)),
	CONSTRAINT "lessons_aligned" CHECK (extract(epoch from "lessons"."starts_at")::bigint % 1800 = 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" bigint PRIMARY KEY NOT NULL,
	"student_id" uuid NOT NULL,
	"teacher_id" bigint NOT NULL,
	"course_id" bigint NOT NULL,
	"course_version_id" bigint NOT NULL,
	"course_title" text NOT NULL,
	"teacher_name" text NOT NULL,
	"teacher_time_zone" text NOT NULL,
	"price_per_hour" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"slots_bought" smallint NOT NULL,
	"slots_booked" smallint DEFAULT 0 NOT NULL,
	"slots_used" smallint DEFAULT 0 NOT NULL,
	"list_amount" integer NOT NULL,
	"discount_amount" integer DEFAULT 0 NOT NULL,
	"payable_amount" integer NOT NULL,
	"status" "order_status" DEFAULT 'pending_payment' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"hold_expires_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_id_parties_unique" UNIQUE("id","teacher_id","student_id"),
	CONSTRAINT "orders_slots_bought" CHECK ("orders"."slots_bought" BETWEEN 1 AND 200),
	CONSTRAINT "orders_slots_counters" CHECK ("orders"."slots_booked" >= 0 AND "orders"."slots_used" >= 0 AND "orders"."slots_booked" + "orders"."slots_used" <= "orders"."slots_bought"),
	CONSTRAINT "orders_amounts" CHECK ("orders"."list_amount" >= 0 AND "orders"."discount_amount" BETWEEN 0 AND "orders"."list_amount" AND "orders"."payable_amount" = "orders"."list_amount" - "orders"."discount_amount"),
	CONSTRAINT "orders_price_positive" CHECK ("orders"."price_per_hour" > 0)
);
--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "lesson_id" bigint;--> statement-breakpoint
ALTER TABLE "teachers" ADD COLUMN "min_notice_minutes" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_order_parties_fk" FOREIGN KEY ("order_id","teacher_id","student_id") REFERENCES "public"."orders"("id","teacher_id","student_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_teacher_id_teachers_id_fk" FOREIGN KEY ("teacher_id") REFERENCES "public"."teachers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_course_version_id_course_versions_id_fk" FOREIGN KEY ("course_version_id") REFERENCES "public"."course_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lessons_order_id_index" ON "lessons" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lessons_teacher_id_starts_at_index" ON "lessons" USING btree ("teacher_id","starts_at");--> statement-breakpoint
CREATE INDEX "lessons_student_id_starts_at_index" ON "lessons" USING btree ("student_id","starts_at");--> statement-breakpoint
CREATE INDEX "lessons_booked_end_idx" ON "lessons" USING btree ("ends_at") WHERE "lessons"."status" = 'booked';--> statement-breakpoint
CREATE INDEX "orders_student_id_created_at_index" ON "orders" USING btree ("student_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_teacher_id_created_at_index" ON "orders" USING btree ("teacher_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_pending_hold_idx" ON "orders" USING btree ("hold_expires_at") WHERE "orders"."status" = 'pending_payment';--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_lessonId_unique" UNIQUE("lesson_id");--> statement-breakpoint
ALTER TABLE "teachers" ADD CONSTRAINT "teachers_min_notice" CHECK ("teachers"."min_notice_minutes" BETWEEN 0 AND 10080);--> statement-breakpoint
-- Added by hand: drizzle-kit does not write extensions or exclusion constraints. These make a
-- double booking impossible even if application code is wrong: no two live lessons of one
-- teacher, or of one student, overlap in time.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_teacher_no_overlap" EXCLUDE USING gist ("teacher_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" IN ('held', 'booked'));--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_student_no_overlap" EXCLUDE USING gist ("student_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&) WHERE ("status" IN ('held', 'booked'));
