CREATE TABLE "service_case_followups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text NOT NULL,
	"status" text,
	"by_user_id" uuid,
	"by_name" text NOT NULL,
	CONSTRAINT "service_case_followups_note_check" CHECK (length("service_case_followups"."note") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "service_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"requester_type" text NOT NULL,
	"enterprise_id" uuid,
	"contact_id" uuid,
	"activity_id" uuid,
	"project" text,
	"problem" text NOT NULL,
	"category" text NOT NULL,
	"departments" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"result" text,
	"satisfaction" text,
	"raised_on" date NOT NULL,
	"closed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_cases_requester_check" CHECK (("service_cases"."requester_type" = 'enterprise' and "service_cases"."enterprise_id" is not null and "service_cases"."contact_id" is null) or ("service_cases"."requester_type" = 'contact' and "service_cases"."contact_id" is not null and "service_cases"."enterprise_id" is null)),
	CONSTRAINT "service_cases_status_check" CHECK ("service_cases"."status" in ('open','coordinating','resolved','cannot_resolve')),
	CONSTRAINT "service_cases_closed_check" CHECK (("service_cases"."status" in ('resolved','cannot_resolve')) = ("service_cases"."result" is not null and "service_cases"."closed_on" is not null)),
	CONSTRAINT "service_cases_satisfaction_check" CHECK ("service_cases"."satisfaction" is null or "service_cases"."satisfaction" in ('satisfied','basically_satisfied','unsatisfied')),
	CONSTRAINT "service_cases_problem_check" CHECK (length("service_cases"."problem") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "integrity_risks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"duty" text NOT NULL,
	"risk" text NOT NULL,
	"level" text NOT NULL,
	"controls" text NOT NULL,
	"owner_person_id" uuid NOT NULL,
	"review_due_on" date NOT NULL,
	"last_reviewed_on" date,
	"reviews_done" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrity_risks_level_check" CHECK ("integrity_risks"."level" in ('high','medium','low')),
	CONSTRAINT "integrity_risks_text_check" CHECK (length("integrity_risks"."duty") between 1 and 500 and length("integrity_risks"."risk") between 1 and 2000 and length("integrity_risks"."controls") between 1 and 4000)
);
--> statement-breakpoint
CREATE TABLE "integrity_rule_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"version_no" integer NOT NULL,
	"revised_on" date NOT NULL,
	"summary" text NOT NULL,
	"body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrity_rule_versions_no_check" CHECK ("integrity_rule_versions"."version_no" >= 1)
);
--> statement-breakpoint
CREATE TABLE "integrity_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"title" text NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrity_rules_title_check" CHECK (length("integrity_rules"."title") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "publicity_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"title" text NOT NULL,
	"channel" text NOT NULL,
	"outlet" text,
	"published_on" date NOT NULL,
	"link" text,
	"adopted_level" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publicity_items_title_check" CHECK (length("publicity_items"."title") between 1 and 200),
	CONSTRAINT "publicity_items_channel_check" CHECK ("publicity_items"."channel" in ('newspaper','website','wechat','report_to_higher','other')),
	CONSTRAINT "publicity_items_level_check" CHECK ("publicity_items"."adopted_level" is null or "publicity_items"."adopted_level" in ('district','city','provincial','national')),
	CONSTRAINT "publicity_items_link_check" CHECK ("publicity_items"."link" is null or "publicity_items"."link" ~ '^https?://')
);
--> statement-breakpoint
ALTER TABLE "service_case_followups" ADD CONSTRAINT "service_case_followups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_case_followups" ADD CONSTRAINT "service_case_followups_case_id_service_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."service_cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_case_followups" ADD CONSTRAINT "service_case_followups_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cases" ADD CONSTRAINT "service_cases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cases" ADD CONSTRAINT "service_cases_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cases" ADD CONSTRAINT "service_cases_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cases" ADD CONSTRAINT "service_cases_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_cases" ADD CONSTRAINT "service_cases_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_risks" ADD CONSTRAINT "integrity_risks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_risks" ADD CONSTRAINT "integrity_risks_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_risks" ADD CONSTRAINT "integrity_risks_owner_person_id_people_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_rule_versions" ADD CONSTRAINT "integrity_rule_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_rule_versions" ADD CONSTRAINT "integrity_rule_versions_rule_id_integrity_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."integrity_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_rules" ADD CONSTRAINT "integrity_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_rules" ADD CONSTRAINT "integrity_rules_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_items" ADD CONSTRAINT "publicity_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_items" ADD CONSTRAINT "publicity_items_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_case_followups_case_idx" ON "service_case_followups" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "service_cases_tenant_status_idx" ON "service_cases" USING btree ("tenant_id","status","raised_on");--> statement-breakpoint
CREATE INDEX "service_cases_enterprise_idx" ON "service_cases" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "service_cases_contact_idx" ON "service_cases" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "service_cases_activity_idx" ON "service_cases" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "integrity_risks_tenant_due_idx" ON "integrity_risks" USING btree ("tenant_id","review_due_on");--> statement-breakpoint
CREATE INDEX "integrity_risks_office_idx" ON "integrity_risks" USING btree ("office_id");--> statement-breakpoint
CREATE UNIQUE INDEX "integrity_rule_versions_rule_no_idx" ON "integrity_rule_versions" USING btree ("rule_id","version_no");--> statement-breakpoint
CREATE UNIQUE INDEX "integrity_rules_tenant_title_idx" ON "integrity_rules" USING btree ("tenant_id","title");--> statement-breakpoint
CREATE INDEX "publicity_items_tenant_date_idx" ON "publicity_items" USING btree ("tenant_id","published_on");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['service_cases', 'service_case_followups', 'integrity_risks', 'integrity_rules', 'integrity_rule_versions', 'publicity_items'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
