CREATE TABLE "activity_enterprises" (
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	CONSTRAINT "activity_enterprises_activity_id_enterprise_id_pk" PRIMARY KEY("activity_id","enterprise_id")
);
--> statement-breakpoint
CREATE TABLE "activity_session_attendance" (
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"present" boolean NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_session_attendance_session_id_participant_id_pk" PRIMARY KEY("session_id","participant_id")
);
--> statement-breakpoint
CREATE TABLE "activity_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_sessions_time_check" CHECK ("activity_sessions"."ends_at" >= "activity_sessions"."starts_at"),
	CONSTRAINT "activity_sessions_topic_check" CHECK (length("activity_sessions"."topic") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "activity_participants" ALTER COLUMN "person_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "required_sessions" integer;--> statement-breakpoint
ALTER TABLE "activity_participants" ADD COLUMN "contact_id" uuid;--> statement-breakpoint
ALTER TABLE "activity_enterprises" ADD CONSTRAINT "activity_enterprises_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_enterprises" ADD CONSTRAINT "activity_enterprises_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_enterprises" ADD CONSTRAINT "activity_enterprises_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_session_attendance" ADD CONSTRAINT "activity_session_attendance_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_session_attendance" ADD CONSTRAINT "activity_session_attendance_session_id_activity_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."activity_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_session_attendance" ADD CONSTRAINT "activity_session_attendance_participant_id_activity_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."activity_participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_session_attendance" ADD CONSTRAINT "activity_session_attendance_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sessions" ADD CONSTRAINT "activity_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_sessions" ADD CONSTRAINT "activity_sessions_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_enterprises_enterprise_idx" ON "activity_enterprises" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "activity_session_attendance_participant_idx" ON "activity_session_attendance" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "activity_sessions_activity_idx" ON "activity_sessions" USING btree ("activity_id","starts_at");--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_participants_activity_contact_idx" ON "activity_participants" USING btree ("activity_id","contact_id");--> statement-breakpoint
CREATE INDEX "activity_participants_contact_idx" ON "activity_participants" USING btree ("contact_id");--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_required_sessions_check" CHECK ("activities"."required_sessions" is null or "activities"."required_sessions" between 1 and 500);--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_who_check" CHECK (num_nonnulls("activity_participants"."person_id", "activity_participants"."contact_id") = 1);--> statement-breakpoint
ALTER TABLE "activity_participants" ADD CONSTRAINT "activity_participants_contact_none_check" CHECK ("activity_participants"."contact_id" is null or ("activity_participants"."party_status" = 'none' and "activity_participants"."branch_id" is null));--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['activity_sessions', 'activity_session_attendance', 'activity_enterprises'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
