CREATE TABLE "research_recommendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	"content" text NOT NULL,
	"problem_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "research_recommendations_content_check" CHECK (length("research_recommendations"."content") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "research_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	"content" text NOT NULL,
	"source" text,
	"activity_id" uuid,
	"received_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "research_suggestions_content_check" CHECK (length("research_suggestions"."content") between 1 and 2000),
	CONSTRAINT "research_suggestions_source_check" CHECK ("research_suggestions"."source" is null or length("research_suggestions"."source") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "research_topic_activities" (
	"tenant_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "research_topic_activities_topic_id_activity_id_pk" PRIMARY KEY("topic_id","activity_id")
);
--> statement-breakpoint
CREATE TABLE "research_topic_members" (
	"tenant_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "research_topic_members_topic_id_person_id_pk" PRIMARY KEY("topic_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "research_topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"title" text NOT NULL,
	"lead_person_id" uuid NOT NULL,
	"plan" text,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"report_sha256" text,
	"report_filename" text,
	"report_content_type" text,
	"report_size" bigint,
	"report_uploaded_at" timestamp with time zone,
	"report_uploaded_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "research_topics_title_check" CHECK (length("research_topics"."title") between 1 and 200),
	CONSTRAINT "research_topics_plan_check" CHECK ("research_topics"."plan" is null or length("research_topics"."plan") <= 10000),
	CONSTRAINT "research_topics_period_check" CHECK ("research_topics"."ends_on" >= "research_topics"."starts_on"),
	CONSTRAINT "research_topics_report_check" CHECK (("research_topics"."report_sha256" is null) = ("research_topics"."report_filename" is null) and ("research_topics"."report_sha256" is null) = ("research_topics"."report_content_type" is null) and ("research_topics"."report_sha256" is null) = ("research_topics"."report_size" is null) and ("research_topics"."report_sha256" is null) = ("research_topics"."report_uploaded_at" is null)),
	CONSTRAINT "research_topics_report_sha_check" CHECK ("research_topics"."report_sha256" is null or "research_topics"."report_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "research_recommendations" ADD CONSTRAINT "research_recommendations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recommendations" ADD CONSTRAINT "research_recommendations_topic_id_research_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."research_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recommendations" ADD CONSTRAINT "research_recommendations_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recommendations" ADD CONSTRAINT "research_recommendations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_suggestions" ADD CONSTRAINT "research_suggestions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_suggestions" ADD CONSTRAINT "research_suggestions_topic_id_research_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."research_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_suggestions" ADD CONSTRAINT "research_suggestions_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_suggestions" ADD CONSTRAINT "research_suggestions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topic_activities" ADD CONSTRAINT "research_topic_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topic_activities" ADD CONSTRAINT "research_topic_activities_topic_id_research_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."research_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topic_activities" ADD CONSTRAINT "research_topic_activities_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topic_members" ADD CONSTRAINT "research_topic_members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topic_members" ADD CONSTRAINT "research_topic_members_topic_id_research_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."research_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topic_members" ADD CONSTRAINT "research_topic_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topics" ADD CONSTRAINT "research_topics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topics" ADD CONSTRAINT "research_topics_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topics" ADD CONSTRAINT "research_topics_lead_person_id_people_id_fk" FOREIGN KEY ("lead_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_topics" ADD CONSTRAINT "research_topics_report_uploaded_by_users_id_fk" FOREIGN KEY ("report_uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "research_recommendations_topic_idx" ON "research_recommendations" USING btree ("topic_id","created_at");--> statement-breakpoint
CREATE INDEX "research_recommendations_problem_idx" ON "research_recommendations" USING btree ("problem_id");--> statement-breakpoint
CREATE INDEX "research_suggestions_topic_idx" ON "research_suggestions" USING btree ("topic_id","received_on");--> statement-breakpoint
CREATE INDEX "research_suggestions_tenant_idx" ON "research_suggestions" USING btree ("tenant_id","received_on");--> statement-breakpoint
CREATE INDEX "research_topic_activities_activity_idx" ON "research_topic_activities" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "research_topic_members_person_idx" ON "research_topic_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "research_topics_tenant_period_idx" ON "research_topics" USING btree ("tenant_id","starts_on");--> statement-breakpoint
CREATE INDEX "research_topics_office_idx" ON "research_topics" USING btree ("office_id");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['research_topics', 'research_topic_members', 'research_topic_activities', 'research_suggestions', 'research_recommendations'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
