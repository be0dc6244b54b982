CREATE TABLE "report_figure_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"phrase" text NOT NULL,
	"measure_word" text NOT NULL,
	"metric" text NOT NULL,
	"args" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_figure_mappings_phrase_check" CHECK (length("report_figure_mappings"."phrase") between 1 and 40),
	CONSTRAINT "report_figure_mappings_word_check" CHECK ("report_figure_mappings"."measure_word" in ('人次','次','期','家','份','个','条','场','项','名')),
	CONSTRAINT "report_figure_mappings_args_check" CHECK (jsonb_typeof("report_figure_mappings"."args") = 'object')
);
--> statement-breakpoint
CREATE TABLE "report_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_templates_name_check" CHECK (length("report_templates"."name") between 1 and 100),
	CONSTRAINT "report_templates_body_check" CHECK (length("report_templates"."body") <= 50000)
);
--> statement-breakpoint
ALTER TABLE "report_figure_mappings" ADD CONSTRAINT "report_figure_mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_figure_mappings" ADD CONSTRAINT "report_figure_mappings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_templates" ADD CONSTRAINT "report_templates_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_templates" ADD CONSTRAINT "report_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_figure_mappings_phrase_idx" ON "report_figure_mappings" USING btree ("tenant_id","phrase","measure_word");--> statement-breakpoint
CREATE UNIQUE INDEX "report_templates_tenant_code_idx" ON "report_templates" USING btree ("tenant_id","code") WHERE "report_templates"."code" is not null;--> statement-breakpoint
CREATE INDEX "report_templates_tenant_idx" ON "report_templates" USING btree ("tenant_id");--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_templates', 'report_figure_mappings'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
