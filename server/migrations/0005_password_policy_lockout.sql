CREATE TABLE "login_failures" (
	"username_key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "password_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "security_policies" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"password_min_length" integer DEFAULT 10 NOT NULL,
	"password_min_classes" integer DEFAULT 3 NOT NULL,
	"password_history" integer DEFAULT 5 NOT NULL,
	"password_max_age_days" integer DEFAULT 90 NOT NULL,
	"password_warn_days" integer DEFAULT 7 NOT NULL,
	"lockout_threshold" integer DEFAULT 5 NOT NULL,
	"lockout_minutes" integer DEFAULT 30 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "security_policies_ranges" CHECK ("security_policies"."password_min_length" between 8 and 128 and "security_policies"."password_min_classes" between 1 and 4
      and "security_policies"."password_history" between 0 and 24 and "security_policies"."password_max_age_days" between 0 and 3650
      and "security_policies"."password_warn_days" between 0 and 90 and "security_policies"."lockout_threshold" between 1 and 100
      and "security_policies"."lockout_minutes" between 1 and 1440)
);
--> statement-breakpoint
ALTER TABLE "password_history" ADD CONSTRAINT "password_history_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_history" ADD CONSTRAINT "password_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_policies" ADD CONSTRAINT "security_policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "password_history_user_idx" ON "password_history" USING btree ("user_id","created_at");