CREATE TABLE "contact_category_links" (
	"tenant_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"category_id" uuid NOT NULL,
	CONSTRAINT "contact_category_links_contact_id_category_id_pk" PRIMARY KEY("contact_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_grams" text[] NOT NULL,
	"gender" text,
	"ethnicity" text,
	"birth_date" date,
	"party_id" uuid,
	"party_joined_on" date,
	"organisation" text,
	"post" text,
	"arrangements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"phone_enc" text,
	"phone_masked" text,
	"phone_hash" text,
	"id_number_enc" text,
	"id_number_masked" text,
	"id_number_hash" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_name_check" CHECK (length("contacts"."name") between 1 and 64),
	CONSTRAINT "contacts_gender_check" CHECK ("contacts"."gender" is null or "contacts"."gender" in ('male','female')),
	CONSTRAINT "contacts_party_joined_check" CHECK ("contacts"."party_joined_on" is null or "contacts"."party_id" is not null),
	CONSTRAINT "contacts_arrangements_check" CHECK (jsonb_typeof("contacts"."arrangements") = 'array'),
	CONSTRAINT "contacts_tags_check" CHECK (cardinality("contacts"."tags") <= 20),
	CONSTRAINT "contacts_phone_sealed_check" CHECK (("contacts"."phone_enc" is null) = ("contacts"."phone_masked" is null) and ("contacts"."phone_enc" is null) = ("contacts"."phone_hash" is null)),
	CONSTRAINT "contacts_id_number_sealed_check" CHECK (("contacts"."id_number_enc" is null) = ("contacts"."id_number_masked" is null) and ("contacts"."id_number_enc" is null) = ("contacts"."id_number_hash" is null))
);
--> statement-breakpoint
CREATE TABLE "uf_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"needs_party" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "uf_categories_name_check" CHECK (length("uf_categories"."name") between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "uf_parties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "uf_parties_name_check" CHECK (length("uf_parties"."name") between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "enterprise_contacts" (
	"tenant_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"role" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprise_contacts_enterprise_id_contact_id_pk" PRIMARY KEY("enterprise_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"type" text NOT NULL,
	"industry" text,
	"district" text,
	"address" text,
	"notes" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprises_name_check" CHECK (length("enterprises"."name") between 1 and 100),
	CONSTRAINT "enterprises_credit_code_check" CHECK ("enterprises"."credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
	CONSTRAINT "enterprises_type_check" CHECK ("enterprises"."type" in ('private','taiwan_funded','overseas_chinese_funded','hk_macao_funded','other'))
);
--> statement-breakpoint
ALTER TABLE "contact_category_links" ADD CONSTRAINT "contact_category_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_category_links" ADD CONSTRAINT "contact_category_links_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_category_links" ADD CONSTRAINT "contact_category_links_category_id_uf_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."uf_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_party_id_uf_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."uf_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uf_categories" ADD CONSTRAINT "uf_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uf_parties" ADD CONSTRAINT "uf_parties_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_contacts" ADD CONSTRAINT "enterprise_contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_contacts" ADD CONSTRAINT "enterprise_contacts_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_contacts" ADD CONSTRAINT "enterprise_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_office_id_org_units_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_category_links_category_idx" ON "contact_category_links" USING btree ("category_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_tenant_id_number_idx" ON "contacts" USING btree ("tenant_id","id_number_hash") WHERE "contacts"."id_number_hash" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_tenant_name_phone_idx" ON "contacts" USING btree ("tenant_id","name","phone_hash") WHERE "contacts"."phone_hash" is not null;--> statement-breakpoint
CREATE INDEX "contacts_tenant_name_zh_idx" ON "contacts" USING btree ("tenant_id","name" collate "zh-x-icu","id");--> statement-breakpoint
CREATE INDEX "contacts_name_grams_idx" ON "contacts" USING gin ("name_grams");--> statement-breakpoint
CREATE INDEX "contacts_tags_idx" ON "contacts" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "contacts_office_idx" ON "contacts" USING btree ("office_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uf_categories_tenant_code_idx" ON "uf_categories" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "uf_categories_tenant_name_idx" ON "uf_categories" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "uf_parties_tenant_code_idx" ON "uf_parties" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "uf_parties_tenant_name_idx" ON "uf_parties" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "enterprise_contacts_contact_idx" ON "enterprise_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprises_tenant_credit_code_idx" ON "enterprises" USING btree ("tenant_id","credit_code");--> statement-breakpoint
CREATE INDEX "enterprises_tenant_name_zh_idx" ON "enterprises" USING btree ("tenant_id","name" collate "zh-x-icu","id");--> statement-breakpoint
CREATE INDEX "enterprises_tenant_type_idx" ON "enterprises" USING btree ("tenant_id","type");--> statement-breakpoint
CREATE INDEX "enterprises_office_idx" ON "enterprises" USING btree ("office_id");--> statement-breakpoint
CREATE INDEX "audit_tenant_target_idx" ON "audit_log" USING btree ("tenant_id","target_id","at") WHERE "audit_log"."target_id" is not null;--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['uf_categories', 'uf_parties', 'contacts', 'contact_category_links', 'enterprises', 'enterprise_contacts'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
