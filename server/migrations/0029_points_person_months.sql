CREATE TABLE "points_person_months" (
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"period" date NOT NULL,
	"branch_id" uuid NOT NULL,
	"additions" numeric(16, 2) NOT NULL,
	"deductions" numeric(16, 2) NOT NULL,
	"capped" numeric(16, 2) NOT NULL,
	"sanctioned" boolean NOT NULL,
	CONSTRAINT "points_person_months_pk" PRIMARY KEY("tenant_id","person_id","period","branch_id"),
	CONSTRAINT "points_person_months_signs_check" CHECK ("points_person_months"."additions" >= 0 and "points_person_months"."deductions" <= 0 and "points_person_months"."capped" >= 0)
);
--> statement-breakpoint
ALTER TABLE "points_person_months" ADD CONSTRAINT "points_person_months_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_person_months" ADD CONSTRAINT "points_person_months_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_person_months" ADD CONSTRAINT "points_person_months_branch_id_org_units_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "points_person_months_branch_idx" ON "points_person_months" USING btree ("tenant_id","branch_id","period");--> statement-breakpoint
CREATE INDEX "points_person_months_period_idx" ON "points_person_months" USING btree ("tenant_id","period");