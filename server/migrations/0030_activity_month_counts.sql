CREATE TABLE "activity_month_counts" (
	"tenant_id" uuid NOT NULL,
	"month" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"type_id" uuid NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"valid" integer DEFAULT 0 NOT NULL,
	"present" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_month_counts_tenant_id_month_unit_id_type_id_pk" PRIMARY KEY("tenant_id","month","unit_id","type_id"),
	CONSTRAINT "activity_month_counts_month_check" CHECK (extract(day from "activity_month_counts"."month") = 1),
	CONSTRAINT "activity_month_counts_nonnegative_check" CHECK ("activity_month_counts"."held" >= 0 and "activity_month_counts"."valid" >= 0 and "activity_month_counts"."valid" <= "activity_month_counts"."held" and "activity_month_counts"."present" >= 0)
);
--> statement-breakpoint
ALTER TABLE "activity_month_counts" ADD CONSTRAINT "activity_month_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_month_counts" ADD CONSTRAINT "activity_month_counts_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_month_counts" ADD CONSTRAINT "activity_month_counts_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_month_counts_unit_idx" ON "activity_month_counts" USING btree ("unit_id","month");