CREATE TABLE "program_indicators" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"source" text,
	"query" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"target" integer,
	"manual_percent" integer,
	"manual_evidence" text,
	"judged_by" uuid,
	"judged_at" timestamp with time zone,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "program_indicators_name_check" CHECK (length("program_indicators"."name") between 1 and 200),
	CONSTRAINT "program_indicators_kind_check" CHECK ("program_indicators"."kind" in ('computed','manual')),
	CONSTRAINT "program_indicators_computed_check" CHECK ("program_indicators"."kind" <> 'computed' or ("program_indicators"."source" in ('activities','problems','feedback_responses') and "program_indicators"."target" >= 1)),
	CONSTRAINT "program_indicators_manual_check" CHECK ("program_indicators"."manual_percent" is null or "program_indicators"."manual_percent" between 0 and 100),
	CONSTRAINT "program_indicators_query_check" CHECK (jsonb_typeof("program_indicators"."query") = 'object')
);
--> statement-breakpoint
CREATE TABLE "program_item_owners" (
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "program_item_owners_item_id_person_id_pk" PRIMARY KEY("item_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "program_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"program_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"due_on" date,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_items_title_check" CHECK (length("program_items"."title") between 1 and 300),
	CONSTRAINT "program_items_kind_check" CHECK (length("program_items"."kind") between 1 and 20),
	CONSTRAINT "program_items_not_own_parent" CHECK ("program_items"."parent_id" is null or "program_items"."parent_id" <> "program_items"."id")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner_unit_id" uuid NOT NULL,
	"owner_user_id" uuid,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_title_check" CHECK (length("programs"."title") between 1 and 200),
	CONSTRAINT "programs_period_check" CHECK ("programs"."ends_on" >= "programs"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "feedback_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"field_key" text NOT NULL,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	CONSTRAINT "feedback_files_sha_check" CHECK ("feedback_files"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "feedback_files_size_check" CHECK ("feedback_files"."size" > 0),
	CONSTRAINT "feedback_files_name_check" CHECK (length("feedback_files"."filename") between 1 and 255)
);
--> statement-breakpoint
CREATE TABLE "feedback_forms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"public_id" text NOT NULL,
	"program_id" uuid,
	"title" text NOT NULL,
	"description" text,
	"mode" text DEFAULT 'anonymous' NOT NULL,
	"invite_only" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_forms_public_id_check" CHECK ("feedback_forms"."public_id" ~ '^[A-Za-z0-9_-]{20,64}$'),
	CONSTRAINT "feedback_forms_title_check" CHECK (length("feedback_forms"."title") between 1 and 200),
	CONSTRAINT "feedback_forms_mode_check" CHECK ("feedback_forms"."mode" in ('named','anonymous')),
	CONSTRAINT "feedback_forms_status_check" CHECK ("feedback_forms"."status" in ('draft','open','closed')),
	CONSTRAINT "feedback_forms_fields_check" CHECK (jsonb_typeof("feedback_forms"."fields") = 'array')
);
--> statement-breakpoint
CREATE TABLE "feedback_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"unit_id" uuid,
	"person_id" uuid,
	"token_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_invitations_target_check" CHECK (("feedback_invitations"."unit_id" is null) <> ("feedback_invitations"."person_id" is null))
);
--> statement-breakpoint
CREATE TABLE "feedback_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"invitation_id" uuid,
	"respondent_name" text,
	"respondent_contact" text,
	"answers" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_responses_answers_check" CHECK (jsonb_typeof("feedback_responses"."answers") = 'object'),
	CONSTRAINT "feedback_responses_name_check" CHECK ("feedback_responses"."respondent_name" is null or length("feedback_responses"."respondent_name") between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "measure_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"progress_id" uuid,
	"sha256" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_evidence_sha_check" CHECK ("measure_evidence"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "measure_evidence_size_check" CHECK ("measure_evidence"."size" > 0),
	CONSTRAINT "measure_evidence_name_check" CHECK (length("measure_evidence"."filename") between 1 and 255)
);
--> statement-breakpoint
CREATE TABLE "measure_progress" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL,
	"percent" integer NOT NULL,
	"note" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_progress_percent_check" CHECK ("measure_progress"."percent" between 0 and 100),
	CONSTRAINT "measure_progress_note_check" CHECK (length("measure_progress"."note") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "problem_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "problem_categories_code_check" CHECK ("problem_categories"."code" ~ '^[a-z][a-z0-9_]{1,47}$'),
	CONSTRAINT "problem_categories_name_check" CHECK (length("problem_categories"."name_zh") between 1 and 50 and length("problem_categories"."name_en") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "problem_claims" (
	"tenant_id" uuid NOT NULL,
	"problem_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"assigned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problem_claims_problem_id_user_id_pk" PRIMARY KEY("problem_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"program_id" uuid,
	"source" text NOT NULL,
	"source_response_id" uuid,
	"category_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"found_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"rectified_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problems_source_check" CHECK ("problems"."source" in ('feedback_response','self_inspection','research','supervision','other')),
	CONSTRAINT "problems_status_check" CHECK ("problems"."status" in ('open','rectified')),
	CONSTRAINT "problems_rectified_check" CHECK (("problems"."status" = 'rectified') = ("problems"."rectified_at" is not null)),
	CONSTRAINT "problems_title_check" CHECK (length("problems"."title") between 1 and 200),
	CONSTRAINT "problems_description_check" CHECK (length("problems"."description") between 1 and 5000)
);
--> statement-breakpoint
CREATE TABLE "rectification_measures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"problem_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"deadline" date NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"immediate" boolean DEFAULT false NOT NULL,
	"percent" integer DEFAULT 0 NOT NULL,
	"verified_by" uuid,
	"verified_at" timestamp with time zone,
	"returned_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rectification_measures_status_check" CHECK ("rectification_measures"."status" in ('not_started','in_progress','done','long_term')),
	CONSTRAINT "rectification_measures_title_check" CHECK (length("rectification_measures"."title") between 1 and 500),
	CONSTRAINT "rectification_measures_percent_check" CHECK ("rectification_measures"."percent" between 0 and 100),
	CONSTRAINT "rectification_measures_verified_check" CHECK (("rectification_measures"."verified_by" is null) = ("rectification_measures"."verified_at" is null)),
	CONSTRAINT "rectification_measures_verified_status_check" CHECK ("rectification_measures"."verified_at" is null or "rectification_measures"."status" in ('done','long_term')),
	CONSTRAINT "rectification_measures_self_review_check" CHECK ("rectification_measures"."verified_by" is null or "rectification_measures"."verified_by" <> "rectification_measures"."owner_user_id")
);
--> statement-breakpoint
ALTER TABLE "program_indicators" ADD CONSTRAINT "program_indicators_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_indicators" ADD CONSTRAINT "program_indicators_item_id_program_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."program_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_indicators" ADD CONSTRAINT "program_indicators_judged_by_users_id_fk" FOREIGN KEY ("judged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_item_owners" ADD CONSTRAINT "program_item_owners_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_item_owners" ADD CONSTRAINT "program_item_owners_item_id_program_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."program_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_item_owners" ADD CONSTRAINT "program_item_owners_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_items" ADD CONSTRAINT "program_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_items" ADD CONSTRAINT "program_items_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_items" ADD CONSTRAINT "program_items_parent_id_program_items_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."program_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_owner_unit_id_org_units_id_fk" FOREIGN KEY ("owner_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_files" ADD CONSTRAINT "feedback_files_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_files" ADD CONSTRAINT "feedback_files_response_id_feedback_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."feedback_responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_forms" ADD CONSTRAINT "feedback_forms_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_invitations" ADD CONSTRAINT "feedback_invitations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_invitations" ADD CONSTRAINT "feedback_invitations_form_id_feedback_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."feedback_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_invitations" ADD CONSTRAINT "feedback_invitations_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_invitations" ADD CONSTRAINT "feedback_invitations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_responses" ADD CONSTRAINT "feedback_responses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_responses" ADD CONSTRAINT "feedback_responses_form_id_feedback_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."feedback_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_responses" ADD CONSTRAINT "feedback_responses_invitation_id_feedback_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."feedback_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_evidence" ADD CONSTRAINT "measure_evidence_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_evidence" ADD CONSTRAINT "measure_evidence_measure_id_rectification_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."rectification_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_evidence" ADD CONSTRAINT "measure_evidence_progress_id_measure_progress_id_fk" FOREIGN KEY ("progress_id") REFERENCES "public"."measure_progress"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_evidence" ADD CONSTRAINT "measure_evidence_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_progress" ADD CONSTRAINT "measure_progress_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_progress" ADD CONSTRAINT "measure_progress_measure_id_rectification_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."rectification_measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_progress" ADD CONSTRAINT "measure_progress_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_categories" ADD CONSTRAINT "problem_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_claims" ADD CONSTRAINT "problem_claims_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_claims" ADD CONSTRAINT "problem_claims_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_claims" ADD CONSTRAINT "problem_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_claims" ADD CONSTRAINT "problem_claims_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_source_response_id_feedback_responses_id_fk" FOREIGN KEY ("source_response_id") REFERENCES "public"."feedback_responses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_category_id_problem_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."problem_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_measures" ADD CONSTRAINT "rectification_measures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_measures" ADD CONSTRAINT "rectification_measures_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_measures" ADD CONSTRAINT "rectification_measures_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_measures" ADD CONSTRAINT "rectification_measures_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "program_indicators_item_idx" ON "program_indicators" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "program_items_program_idx" ON "program_items" USING btree ("program_id","parent_id","sort_order");--> statement-breakpoint
CREATE INDEX "programs_tenant_start_idx" ON "programs" USING btree ("tenant_id","starts_on");--> statement-breakpoint
CREATE INDEX "feedback_files_response_idx" ON "feedback_files" USING btree ("response_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_forms_public_id_idx" ON "feedback_forms" USING btree ("public_id");--> statement-breakpoint
CREATE INDEX "feedback_forms_tenant_idx" ON "feedback_forms" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_invitations_token_idx" ON "feedback_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_invitations_unit_idx" ON "feedback_invitations" USING btree ("form_id","unit_id") WHERE "feedback_invitations"."unit_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_invitations_person_idx" ON "feedback_invitations" USING btree ("form_id","person_id") WHERE "feedback_invitations"."person_id" is not null;--> statement-breakpoint
CREATE INDEX "feedback_responses_form_idx" ON "feedback_responses" USING btree ("form_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_responses_invitation_idx" ON "feedback_responses" USING btree ("invitation_id") WHERE "feedback_responses"."invitation_id" is not null;--> statement-breakpoint
CREATE INDEX "measure_evidence_measure_idx" ON "measure_evidence" USING btree ("measure_id");--> statement-breakpoint
CREATE INDEX "measure_progress_measure_idx" ON "measure_progress" USING btree ("measure_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "problem_categories_tenant_code_idx" ON "problem_categories" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE INDEX "problem_claims_user_idx" ON "problem_claims" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "problems_tenant_number_idx" ON "problems" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "problems_program_idx" ON "problems" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "problems_tenant_found_idx" ON "problems" USING btree ("tenant_id","found_on");--> statement-breakpoint
CREATE INDEX "rectification_measures_problem_idx" ON "rectification_measures" USING btree ("problem_id");--> statement-breakpoint
CREATE INDEX "rectification_measures_open_deadline_idx" ON "rectification_measures" USING btree ("tenant_id","deadline") WHERE "rectification_measures"."verified_at" is null;--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['programs', 'program_items', 'program_item_owners', 'program_indicators', 'feedback_forms', 'feedback_invitations', 'feedback_responses', 'feedback_files', 'problem_categories', 'problems', 'problem_claims', 'rectification_measures', 'measure_progress', 'measure_evidence'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
