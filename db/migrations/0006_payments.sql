CREATE TYPE "public"."gateway_callback_outcome" AS ENUM('applied', 'duplicate', 'rejected', 'ignored', 'failed');--> statement-breakpoint
CREATE TYPE "public"."payment_item_outcome" AS ENUM('pending', 'paid', 'refunded_to_wallet');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('wallet', 'gateway', 'mixed');--> statement-breakpoint
CREATE TYPE "public"."payment_purpose" AS ENUM('orders', 'top_up');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('created', 'pending', 'succeeded', 'failed', 'expired', 'partially_refunded', 'refunded');--> statement-breakpoint
CREATE TABLE "gateway_callbacks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gateway_callbacks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"gateway" text NOT NULL,
	"transaction_id" text,
	"payment_id" bigint,
	"raw_body" text NOT NULL,
	"signature" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" "gateway_callback_outcome" NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "payment_applications" (
	"gateway" text NOT NULL,
	"transaction_id" text NOT NULL,
	"payment_id" bigint NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_applications_gateway_transaction_id_pk" PRIMARY KEY("gateway","transaction_id"),
	CONSTRAINT "payment_applications_payment_unique" UNIQUE("payment_id")
);
--> statement-breakpoint
CREATE TABLE "payment_items" (
	"payment_id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"amount" integer NOT NULL,
	"outcome" "payment_item_outcome" DEFAULT 'pending' NOT NULL,
	"note" text,
	CONSTRAINT "payment_items_payment_id_order_id_pk" PRIMARY KEY("payment_id","order_id"),
	CONSTRAINT "payment_items_amount" CHECK ("payment_items"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" bigint PRIMARY KEY NOT NULL,
	"payer_id" uuid NOT NULL,
	"purpose" "payment_purpose" NOT NULL,
	"currency" char(3) NOT NULL,
	"items_total" integer NOT NULL,
	"discount" integer DEFAULT 0 NOT NULL,
	"amount" integer NOT NULL,
	"from_wallet" integer NOT NULL,
	"from_gateway" integer NOT NULL,
	"method" "payment_method" NOT NULL,
	"status" "payment_status" DEFAULT 'created' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"gateway" text,
	"gateway_reference" text,
	"checkout_url" text,
	"gateway_transaction_id" text,
	"idempotency_key" text NOT NULL,
	"expires_at" timestamp with time zone,
	"succeeded_at" timestamp with time zone,
	"refunded_amount" integer DEFAULT 0 NOT NULL,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_payer_idempotency_unique" UNIQUE("payer_id","idempotency_key"),
	CONSTRAINT "payments_amounts" CHECK ("payments"."items_total" >= 0 AND "payments"."discount" >= 0 AND "payments"."amount" >= 0 AND "payments"."from_wallet" >= 0 AND "payments"."from_gateway" >= 0 AND "payments"."amount" = "payments"."items_total" - "payments"."discount" AND "payments"."from_wallet" + "payments"."from_gateway" = "payments"."amount"),
	CONSTRAINT "payments_refunded" CHECK ("payments"."refunded_amount" BETWEEN 0 AND "payments"."amount"),
	CONSTRAINT "payments_currency" CHECK ("payments"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "payments_gateway" CHECK (("payments"."from_gateway" = 0) = ("payments"."gateway" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "gateway_callbacks" ADD CONSTRAINT "gateway_callbacks_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_applications" ADD CONSTRAINT "payment_applications_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_items" ADD CONSTRAINT "payment_items_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_items" ADD CONSTRAINT "payment_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_payer_id_users_id_fk" FOREIGN KEY ("payer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gateway_callbacks_payment_id_index" ON "gateway_callbacks" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "gateway_callbacks_gateway_transaction_id_index" ON "gateway_callbacks" USING btree ("gateway","transaction_id");--> statement-breakpoint
CREATE INDEX "payment_items_order_id_index" ON "payment_items" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "payments_payer_id_created_at_index" ON "payments" USING btree ("payer_id","created_at");