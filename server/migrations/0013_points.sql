CREATE TABLE "points_closures" (
	"tenant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"quarter" date NOT NULL,
	"notice_id" uuid,
	"closed_by" uuid,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"period" date NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"source" text NOT NULL,
	"rule_code" text NOT NULL,
	"rule_kind" text NOT NULL,
	"rule_set_version" integer,
	"cap" numeric(12, 2),
	"cap_period" text,
	"activity_id" uuid,
	"participant_id" uuid,
	"manual_request_id" uuid,
	"corrects_id" uuid,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_entries_source_check" CHECK ("points_entries"."source" in ('auto','manual','objection')),
	CONSTRAINT "points_entries_kind_check" CHECK ("points_entries"."rule_kind" in ('attend','absent','role','volunteer','honour','sanction','other')),
	CONSTRAINT "points_entries_amount_check" CHECK (abs("points_entries"."amount") <= 100000),
	CONSTRAINT "points_entries_period_check" CHECK (extract(day from "points_entries"."period") = 1),
	CONSTRAINT "points_entries_cap_check" CHECK (("points_entries"."cap" is null) = ("points_entries"."cap_period" is null) and ("points_entries"."cap" is null or "points_entries"."cap" >= 0)),
	CONSTRAINT "points_entries_cap_period_check" CHECK ("points_entries"."cap_period" is null or "points_entries"."cap_period" in ('month','quarter','year')),
	CONSTRAINT "points_entries_auto_check" CHECK ("points_entries"."source" <> 'auto' or ("points_entries"."activity_id" is not null and "points_entries"."participant_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "points_grade_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"person_id" uuid NOT NULL,
	"grade" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_grade_overrides_grade_check" CHECK ("points_grade_overrides"."grade" in ('excellent','qualified','basic','unqualified')),
	CONSTRAINT "points_grade_overrides_reason_check" CHECK (length("points_grade_overrides"."reason") between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "points_manual_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"rule_code" text NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"period" date NOT NULL,
	"reason" text NOT NULL,
	"evidence" text NOT NULL,
	"evidence_file" text,
	"corrects_entry_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"review_note" text,
	"created_by" uuid NOT NULL,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_manual_requests_status_check" CHECK ("points_manual_requests"."status" in ('pending','approved','rejected')),
	CONSTRAINT "points_manual_requests_amount_check" CHECK ("points_manual_requests"."amount" <> 0 and abs("points_manual_requests"."amount") <= 1000),
	CONSTRAINT "points_manual_requests_reason_check" CHECK (length("points_manual_requests"."reason") between 1 and 500 and length("points_manual_requests"."evidence") between 1 and 1000),
	CONSTRAINT "points_manual_requests_period_check" CHECK (extract(day from "points_manual_requests"."period") = 1),
	CONSTRAINT "points_manual_requests_reviewer_check" CHECK ("points_manual_requests"."reviewed_by" is null or "points_manual_requests"."reviewed_by" <> "points_manual_requests"."created_by")
);
--> statement-breakpoint
CREATE TABLE "points_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"quarter" date NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "points_notices_status_check" CHECK ("points_notices"."status" in ('published','closed')),
	CONSTRAINT "points_notices_quarter_check" CHECK (extract(day from "points_notices"."quarter") = 1 and extract(month from "points_notices"."quarter") in (1,4,7,10)),
	CONSTRAINT "points_notices_closed_check" CHECK (("points_notices"."status" = 'closed') = ("points_notices"."closed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "points_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"notice_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"raised_by" uuid NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"correction_entry_id" uuid,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_objections_status_check" CHECK ("points_objections"."status" in ('open','accepted','rejected')),
	CONSTRAINT "points_objections_text_check" CHECK (length("points_objections"."text") between 1 and 1000),
	CONSTRAINT "points_objections_answer_check" CHECK (("points_objections"."status" = 'open') = ("points_objections"."answer" is null))
);
--> statement-breakpoint
CREATE TABLE "points_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"base_score" numeric(12, 2) NOT NULL,
	"rules" jsonb NOT NULL,
	"grading" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_rule_sets_version_check" CHECK ("points_rule_sets"."version" >= 1),
	CONSTRAINT "points_rule_sets_base_check" CHECK ("points_rule_sets"."base_score" between -100000 and 100000),
	CONSTRAINT "points_rule_sets_rules_check" CHECK (jsonb_typeof("points_rule_sets"."rules") = 'array')
);
--> statement-breakpoint
ALTER TABLE "points_closures" ADD CONSTRAINT "points_closures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_closures" ADD CONSTRAINT "points_closures_branch_id_org_units_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_closures" ADD CONSTRAINT "points_closures_notice_id_points_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."points_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_closures" ADD CONSTRAINT "points_closures_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_branch_id_org_units_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_participant_id_activity_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."activity_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_manual_request_id_points_manual_requests_id_fk" FOREIGN KEY ("manual_request_id") REFERENCES "public"."points_manual_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_corrects_id_points_entries_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."points_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_grade_overrides" ADD CONSTRAINT "points_grade_overrides_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_grade_overrides" ADD CONSTRAINT "points_grade_overrides_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_grade_overrides" ADD CONSTRAINT "points_grade_overrides_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_manual_requests" ADD CONSTRAINT "points_manual_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_manual_requests" ADD CONSTRAINT "points_manual_requests_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_manual_requests" ADD CONSTRAINT "points_manual_requests_branch_id_org_units_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_manual_requests" ADD CONSTRAINT "points_manual_requests_corrects_entry_id_points_entries_id_fk" FOREIGN KEY ("corrects_entry_id") REFERENCES "public"."points_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_manual_requests" ADD CONSTRAINT "points_manual_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_manual_requests" ADD CONSTRAINT "points_manual_requests_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_notices" ADD CONSTRAINT "points_notices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_notices" ADD CONSTRAINT "points_notices_branch_id_org_units_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_notices" ADD CONSTRAINT "points_notices_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_notices" ADD CONSTRAINT "points_notices_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_notice_id_points_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."points_notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_entry_id_points_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."points_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_correction_entry_id_points_entries_id_fk" FOREIGN KEY ("correction_entry_id") REFERENCES "public"."points_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_objections" ADD CONSTRAINT "points_objections_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_rule_sets" ADD CONSTRAINT "points_rule_sets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_rule_sets" ADD CONSTRAINT "points_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "points_closures_pk_idx" ON "points_closures" USING btree ("tenant_id","branch_id","quarter");--> statement-breakpoint
CREATE INDEX "points_closures_tenant_quarter_idx" ON "points_closures" USING btree ("tenant_id","quarter");--> statement-breakpoint
CREATE INDEX "points_entries_tenant_period_idx" ON "points_entries" USING btree ("tenant_id","period","branch_id");--> statement-breakpoint
CREATE INDEX "points_entries_person_period_idx" ON "points_entries" USING btree ("person_id","period");--> statement-breakpoint
CREATE INDEX "points_entries_activity_idx" ON "points_entries" USING btree ("activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_grade_overrides_person_year_idx" ON "points_grade_overrides" USING btree ("tenant_id","year","person_id");--> statement-breakpoint
CREATE INDEX "points_manual_requests_tenant_status_idx" ON "points_manual_requests" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "points_notices_branch_quarter_idx" ON "points_notices" USING btree ("tenant_id","branch_id","quarter");--> statement-breakpoint
CREATE INDEX "points_objections_notice_idx" ON "points_objections" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "points_objections_person_idx" ON "points_objections" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_rule_sets_tenant_version_idx" ON "points_rule_sets" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "points_rule_sets_tenant_from_idx" ON "points_rule_sets" USING btree ("tenant_id","effective_from");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['points_rule_sets', 'points_manual_requests', 'points_entries', 'points_notices', 'points_objections', 'points_closures', 'points_grade_overrides'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      -- the ledger is append-only for the application: no UPDATE or DELETE, ever
      IF t = 'points_entries' OR t = 'points_rule_sets' OR t = 'points_closures' THEN
        EXECUTE format('GRANT SELECT, INSERT ON %I TO tongxin_app', t);
      ELSE
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
      END IF;
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
