CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"type_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"content" text,
	"place" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"cancel_reason" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"minutes_html" text,
	"quorum_eligible" integer,
	"quorum_present" integer,
	"valid" boolean DEFAULT true NOT NULL,
	"signin_secret" text NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_status_check" CHECK ("activities"."status" in ('planned','held','recorded','cancelled')),
	CONSTRAINT "activities_time_check" CHECK ("activities"."ends_at" >= "activities"."starts_at"),
	CONSTRAINT "activities_cancel_reason_check" CHECK (("activities"."status" = 'cancelled') = ("activities"."cancel_reason" is not null)),
	CONSTRAINT "activities_topic_check" CHECK (length("activities"."topic") between 1 and 200),
	CONSTRAINT "activities_extra_check" CHECK (jsonb_typeof("activities"."extra") = 'object'),
	CONSTRAINT "activities_quorum_check" CHECK ("activities"."quorum_present" is null or ("activities"."quorum_present" >= 0 and "activities"."quorum_present" <= "activities"."quorum_eligible"))
);
--> statement-breakpoint
CREATE TABLE "activity_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_attachments_sha_check" CHECK ("activity_attachments"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "activity_attachments_size_check" CHECK ("activity_attachments"."size" > 0),
	CONSTRAINT "activity_attachments_name_check" CHECK (length("activity_attachments"."filename") between 1 and 255)
);
--> statement-breakpoint
CREATE TABLE "activity_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" text DEFAULT 'participant' NOT NULL,
	"attendance" text DEFAULT 'pending' NOT NULL,
	"signed_in_at" timestamp with time zone,
	"sign_in_method" text,
	"leave_reason" text,
	"leave_status" text,
	"party_status" text NOT NULL,
	"committee_member" boolean DEFAULT false NOT NULL,
	"branch_id" uuid,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_participants_role_check" CHECK ("activity_participants"."role" in ('participant','speaker','host')),
	CONSTRAINT "activity_participants_attendance_check" CHECK ("activity_participants"."attendance" in ('pending','present','leave','absent')),
	CONSTRAINT "activity_participants_method_check" CHECK ("activity_participants"."sign_in_method" is null or "activity_participants"."sign_in_method" in ('qr','manual')),
	CONSTRAINT "activity_participants_leave_check" CHECK ("activity_participants"."leave_status" is null or "activity_participants"."leave_status" in ('requested','approved','rejected')),
	CONSTRAINT "activity_participants_leave_reason_check" CHECK ("activity_participants"."leave_status" is null or length("activity_participants"."leave_reason") between 1 and 500),
	CONSTRAINT "activity_participants_signed_check" CHECK ("activity_participants"."signed_in_at" is null or "activity_participants"."attendance" = 'present'),
	CONSTRAINT "activity_participants_party_status_check" CHECK ("activity_participants"."party_status" in ('full','probationary','none'))
);
--> statement-breakpoint
CREATE TABLE "activity_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"category" text NOT NULL,
	"unit_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"takes_attendance" boolean DEFAULT true NOT NULL,
	"counts_person_times" boolean DEFAULT true NOT NULL,
	"quorum_rule" text DEFAULT 'none' NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_types_code_check" CHECK ("activity_types"."code" ~ '^[a-z][a-z0-9_]{1,47}$'),
	CONSTRAINT "activity_types_name_check" CHECK (length("activity_types"."name_zh") between 1 and 50 and length("activity_types"."name_en") between 1 and 100),
	CONSTRAINT "activity_types_category_check" CHECK ("activity_types"."category" in ('organisational_life','study','education','training','meeting','visit','volunteer','other')),
	CONSTRAINT "activity_types_quorum_check" CHECK ("activity_types"."quorum_rule" in ('none','voting_members','committee')),
	CONSTRAINT "activity_types_fields_check" CHECK (jsonb_typeof("activity_types"."fields") = 'array')
);
--> statement-breakpoint
CREATE TABLE "duty_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text,
	"unit_type" text NOT NULL,
	"type_id" uuid NOT NULL,
	"period" text NOT NULL,
	"min_count" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duty_rules_period_check" CHECK ("duty_rules"."period" in ('month','quarter','year')),
	CONSTRAINT "duty_rules_min_count_check" CHECK ("duty_rules"."min_count" between 1 and 100),
	CONSTRAINT "duty_rules_unit_type_check" CHECK ("duty_rules"."unit_type" in ('department','office','party_committee','discipline_committee','branch','party_group'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text,
	"dedupe_key" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_title_check" CHECK (length("notifications"."title") between 1 and 200),
	CONSTRAINT "notifications_link_check" CHECK ("notifications"."link" is null or "notifications"."link" ~ '^/[^/]')
);
--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_attachments" ADD CONSTRAINT "activity_attachments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_attachments" ADD CONSTRAINT "activity_attachments_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_attachments" ADD CONSTRAINT "activity_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_branch_id_org_units_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_types" ADD CONSTRAINT "activity_types_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_rules" ADD CONSTRAINT "duty_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_rules" ADD CONSTRAINT "duty_rules_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_unit_type_start_idx" ON "activities" USING btree ("unit_id","type_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_tenant_start_idx" ON "activities" USING btree ("tenant_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_type_idx" ON "activities" USING btree ("type_id");--> statement-breakpoint
CREATE INDEX "activity_attachments_activity_idx" ON "activity_attachments" USING btree ("activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_participants_activity_person_idx" ON "activity_participants" USING btree ("activity_id","person_id");--> statement-breakpoint
CREATE INDEX "activity_participants_person_idx" ON "activity_participants" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_types_tenant_code_idx" ON "activity_types" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_rules_tenant_code_idx" ON "duty_rules" USING btree ("tenant_id","code") WHERE "duty_rules"."code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "duty_rules_unique_active_idx" ON "duty_rules" USING btree ("tenant_id","unit_type","type_id","period") WHERE "duty_rules"."active";--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_user_dedupe_idx" ON "notifications" USING btree ("user_id","dedupe_key") WHERE "notifications"."dedupe_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feeds_token_idx" ON "calendar_feeds" USING btree ("token_hash");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['activity_types', 'activities', 'activity_participants', 'activity_attachments', 'duty_rules', 'notifications', 'calendar_feeds'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
