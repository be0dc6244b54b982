CREATE TABLE "activity_month_type_counts" (
	"tenant_id" uuid NOT NULL,
	"month" date NOT NULL,
	"type_id" uuid NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"valid" integer DEFAULT 0 NOT NULL,
	"present" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_month_type_counts_tenant_id_month_type_id_pk" PRIMARY KEY("tenant_id","month","type_id"),
	CONSTRAINT "activity_month_type_counts_month_check" CHECK (extract(day from "activity_month_type_counts"."month") = 1),
	CONSTRAINT "activity_month_type_counts_nonnegative_check" CHECK ("activity_month_type_counts"."held" >= 0 and "activity_month_type_counts"."valid" >= 0 and "activity_month_type_counts"."valid" <= "activity_month_type_counts"."held" and "activity_month_type_counts"."present" >= 0)
);
--> statement-breakpoint
ALTER TABLE "activity_month_type_counts" ADD CONSTRAINT "activity_month_type_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_month_type_counts" ADD CONSTRAINT "activity_month_type_counts_type_id_activity_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."activity_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- activity_month_type_counts: activity_month_counts summed over units (tenant × month × type),
-- for the whole-tenant dashboard. The delta function now applies every delta to both tables, in
-- the same transaction (docs/decisions/0013); the rebuild rebuilds both.
CREATE OR REPLACE FUNCTION activity_month_counts_add(k_tenant uuid[], k_month date[], k_unit uuid[], k_type uuid[], d_held int[], d_valid int[], d_present int[])
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH d AS (
    SELECT x.tenant_id, x.month, x.unit_id, x.type_id, sum(x.held)::int AS held, sum(x.valid)::int AS valid, sum(x.present)::int AS present
      FROM unnest(k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present) AS x(tenant_id, month, unit_id, type_id, held, valid, present)
     GROUP BY 1, 2, 3, 4
    HAVING sum(x.held) <> 0 OR sum(x.valid) <> 0 OR sum(x.present) <> 0
  ), upd AS (
    UPDATE activity_month_counts c SET held = c.held + d.held, valid = c.valid + d.valid, present = c.present + d.present
      FROM d WHERE c.tenant_id = d.tenant_id AND c.month = d.month AND c.unit_id = d.unit_id AND c.type_id = d.type_id
    RETURNING c.tenant_id, c.month, c.unit_id, c.type_id
  )
  INSERT INTO activity_month_counts AS c (tenant_id, month, unit_id, type_id, held, valid, present)
  SELECT d.tenant_id, d.month, d.unit_id, d.type_id, d.held, d.valid, d.present FROM d
   WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.tenant_id = d.tenant_id AND upd.month = d.month AND upd.unit_id = d.unit_id AND upd.type_id = d.type_id)
  ON CONFLICT (tenant_id, month, unit_id, type_id)
  DO UPDATE SET held = c.held + excluded.held, valid = c.valid + excluded.valid, present = c.present + excluded.present;

  WITH d AS (
    SELECT x.tenant_id, x.month, x.type_id, sum(x.held)::int AS held, sum(x.valid)::int AS valid, sum(x.present)::int AS present
      FROM unnest(k_tenant, k_month, k_type, d_held, d_valid, d_present) AS x(tenant_id, month, type_id, held, valid, present)
     GROUP BY 1, 2, 3
    HAVING sum(x.held) <> 0 OR sum(x.valid) <> 0 OR sum(x.present) <> 0
  ), upd AS (
    UPDATE activity_month_type_counts c SET held = c.held + d.held, valid = c.valid + d.valid, present = c.present + d.present
      FROM d WHERE c.tenant_id = d.tenant_id AND c.month = d.month AND c.type_id = d.type_id
    RETURNING c.tenant_id, c.month, c.type_id
  )
  INSERT INTO activity_month_type_counts AS c (tenant_id, month, type_id, held, valid, present)
  SELECT d.tenant_id, d.month, d.type_id, d.held, d.valid, d.present FROM d
   WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.tenant_id = d.tenant_id AND upd.month = d.month AND upd.type_id = d.type_id)
  ON CONFLICT (tenant_id, month, type_id)
  DO UPDATE SET held = c.held + excluded.held, valid = c.valid + excluded.valid, present = c.present + excluded.present;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION activity_month_counts_add(uuid[], date[], uuid[], uuid[], int[], int[], int[]) FROM PUBLIC;--> statement-breakpoint
CREATE OR REPLACE FUNCTION rebuild_activity_month_counts(p_tenant uuid) RETURNS void LANGUAGE sql SET search_path = public, pg_temp AS $$
  DELETE FROM activity_month_counts WHERE p_tenant IS NULL OR tenant_id = p_tenant;
  INSERT INTO activity_month_counts (tenant_id, month, unit_id, type_id, held, valid, present)
  SELECT a.tenant_id, date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date, a.unit_id, a.type_id,
         count(*)::int, (count(*) FILTER (WHERE a.valid))::int, coalesce(sum(p.n), 0)::int
    FROM activities a
    LEFT JOIN (SELECT ap.activity_id, count(*) AS n FROM activity_participants ap WHERE ap.attendance = 'present' GROUP BY 1) p ON p.activity_id = a.id
   WHERE a.status IN ('held', 'recorded') AND (p_tenant IS NULL OR a.tenant_id = p_tenant)
   GROUP BY 1, 2, 3, 4;
  DELETE FROM activity_month_type_counts WHERE p_tenant IS NULL OR tenant_id = p_tenant;
  INSERT INTO activity_month_type_counts (tenant_id, month, type_id, held, valid, present)
  SELECT c.tenant_id, c.month, c.type_id, sum(c.held)::int, sum(c.valid)::int, sum(c.present)::int
    FROM activity_month_counts c
   WHERE (p_tenant IS NULL OR c.tenant_id = p_tenant) AND (c.held <> 0 OR c.present <> 0)
   GROUP BY 1, 2, 3;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION rebuild_activity_month_counts(uuid) FROM PUBLIC;--> statement-breakpoint
SELECT rebuild_activity_month_counts(NULL);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['activity_month_type_counts'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      -- read only: the rows are written by the activity_month_counts triggers, as the owner
      EXECUTE format('GRANT SELECT ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
