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
CREATE INDEX "activity_month_counts_unit_idx" ON "activity_month_counts" USING btree ("unit_id","month");--> statement-breakpoint
-- activity_month_counts is derived from activities and activity_participants and kept by the
-- database in the same transaction as every write to them (docs/decisions/0013): the
-- application only reads it. Counted: activities held or recorded, by Shanghai month of
-- starts_at; valid ones (what duty rules count); their participants present (people-times).
-- Every change is a signed delta per key, applied by activity_month_counts_add (update the
-- existing row, insert the missing ones; concurrent writers add under the row lock, so no
-- count is lost as a recount could lose it). Rows that fall to zero stay (readers sum).
CREATE FUNCTION activity_month_counts_add(k_tenant uuid[], k_month date[], k_unit uuid[], k_type uuid[], d_held int[], d_valid int[], d_present int[])
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
  -- a key not there yet (or inserted meanwhile by another transaction: then added to it)
  INSERT INTO activity_month_counts AS c (tenant_id, month, unit_id, type_id, held, valid, present)
  SELECT d.tenant_id, d.month, d.unit_id, d.type_id, d.held, d.valid, d.present FROM d
   WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.tenant_id = d.tenant_id AND upd.month = d.month AND upd.unit_id = d.unit_id AND upd.type_id = d.type_id)
  ON CONFLICT (tenant_id, month, unit_id, type_id)
  DO UPDATE SET held = c.held + excluded.held, valid = c.valid + excluded.valid, present = c.present + excluded.present
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION activity_month_counts_add(uuid[], date[], uuid[], uuid[], int[], int[], int[]) FROM PUBLIC;--> statement-breakpoint
-- activities: inserted and updated rows by statement (one call per statement, not per row)
CREATE FUNCTION activity_month_counts_activities() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  k_tenant uuid[]; k_month date[]; k_unit uuid[]; k_type uuid[]; d_held int[]; d_valid int[]; d_present int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.tenant_id), array_agg(date_trunc('month', n.starts_at AT TIME ZONE 'Asia/Shanghai')::date), array_agg(n.unit_id), array_agg(n.type_id),
           array_agg(1), array_agg(CASE WHEN n.valid THEN 1 ELSE 0 END),
           array_agg((SELECT count(*)::int FROM activity_participants ap WHERE ap.activity_id = n.id AND ap.attendance = 'present'))
      INTO k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present
      FROM new_rows n WHERE n.status IN ('held', 'recorded');
  ELSE
    -- only rows whose key, counted status or validity changed; the old contribution out, the
    -- new one in (the participants present are the same: this statement does not touch them)
    WITH ch AS (
      SELECT o.tenant_id AS o_tenant, date_trunc('month', o.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS o_month, o.unit_id AS o_unit, o.type_id AS o_type,
             o.status IN ('held', 'recorded') AS o_counts, o.valid AS o_valid,
             n.tenant_id AS n_tenant, date_trunc('month', n.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS n_month, n.unit_id AS n_unit, n.type_id AS n_type,
             n.status IN ('held', 'recorded') AS n_counts, n.valid AS n_valid, n.id
        FROM old_rows o JOIN new_rows n ON n.id = o.id
    ), c AS (
      SELECT * FROM ch
       WHERE (o_tenant, o_month, o_unit, o_type, o_counts, o_valid) IS DISTINCT FROM (n_tenant, n_month, n_unit, n_type, n_counts, n_valid)
         AND (o_counts OR n_counts)
    ), p AS (
      SELECT c.*, (SELECT count(*)::int FROM activity_participants ap WHERE ap.activity_id = c.id AND ap.attendance = 'present') AS present FROM c
    ), d AS (
      SELECT o_tenant AS tenant_id, o_month AS month, o_unit AS unit_id, o_type AS type_id, -1 AS held, CASE WHEN o_valid THEN -1 ELSE 0 END AS valid, -present AS present FROM p WHERE o_counts
      UNION ALL
      SELECT n_tenant, n_month, n_unit, n_type, 1, CASE WHEN n_valid THEN 1 ELSE 0 END, present FROM p WHERE n_counts
    )
    SELECT array_agg(tenant_id), array_agg(month), array_agg(unit_id), array_agg(type_id), array_agg(held), array_agg(valid), array_agg(present)
      INTO k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present
      FROM d;
  END IF;
  IF k_tenant IS NOT NULL THEN
    PERFORM activity_month_counts_add(k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- a deleted activity, row by row BEFORE the delete: its participants are still there (the
-- cascade removes them before any AFTER trigger of the activity runs, and their own trigger
-- then finds no activity and adds nothing)
CREATE FUNCTION activity_month_counts_activity_delete() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF OLD.status IN ('held', 'recorded') THEN
    PERFORM activity_month_counts_add(ARRAY[OLD.tenant_id], ARRAY[date_trunc('month', OLD.starts_at AT TIME ZONE 'Asia/Shanghai')::date], ARRAY[OLD.unit_id], ARRAY[OLD.type_id],
      ARRAY[-1], ARRAY[CASE WHEN OLD.valid THEN -1 ELSE 0 END],
      ARRAY[-(SELECT count(*)::int FROM activity_participants ap WHERE ap.activity_id = OLD.id AND ap.attendance = 'present')]);
  END IF;
  RETURN OLD;
END
$$;--> statement-breakpoint
-- participants: a present participant of a counted activity is one people-time of that
-- activity's key. The activities are locked FOR SHARE first, so a concurrent change of an
-- activity (status, date…) is ordered with this one and each sees the other's result.
CREATE FUNCTION activity_month_counts_participants() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  k_tenant uuid[]; k_month date[]; k_unit uuid[]; k_type uuid[]; d_held int[]; d_valid int[]; d_present int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM activities a WHERE a.id IN (SELECT n.activity_id FROM new_rows n WHERE n.attendance = 'present') ORDER BY a.id FOR SHARE;
    SELECT array_agg(a.tenant_id), array_agg(date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date), array_agg(a.unit_id), array_agg(a.type_id),
           array_agg(0), array_agg(0), array_agg(1)
      INTO k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present
      FROM new_rows n JOIN activities a ON a.id = n.activity_id
     WHERE n.attendance = 'present' AND a.status IN ('held', 'recorded');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM 1 FROM activities a WHERE a.id IN (SELECT o.activity_id FROM old_rows o WHERE o.attendance = 'present') ORDER BY a.id FOR SHARE;
    SELECT array_agg(a.tenant_id), array_agg(date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date), array_agg(a.unit_id), array_agg(a.type_id),
           array_agg(0), array_agg(0), array_agg(-1)
      INTO k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present
      FROM old_rows o JOIN activities a ON a.id = o.activity_id
     WHERE o.attendance = 'present' AND a.status IN ('held', 'recorded');
  ELSE
    PERFORM 1 FROM activities a
      WHERE a.id IN (SELECT o.activity_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                      WHERE (o.attendance = 'present' OR n.attendance = 'present') AND (o.attendance, o.activity_id) IS DISTINCT FROM (n.attendance, n.activity_id)
                     UNION SELECT n.activity_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                      WHERE (o.attendance = 'present' OR n.attendance = 'present') AND (o.attendance, o.activity_id) IS DISTINCT FROM (n.attendance, n.activity_id))
      ORDER BY a.id FOR SHARE;
    WITH ch AS (
      SELECT o.activity_id AS o_activity, o.attendance = 'present' AS o_present, n.activity_id AS n_activity, n.attendance = 'present' AS n_present
        FROM old_rows o JOIN new_rows n ON n.id = o.id
       WHERE (o.attendance, o.activity_id) IS DISTINCT FROM (n.attendance, n.activity_id)
    ), d AS (
      SELECT o_activity AS activity_id, -1 AS present FROM ch WHERE o_present
      UNION ALL
      SELECT n_activity, 1 FROM ch WHERE n_present
    )
    SELECT array_agg(a.tenant_id), array_agg(date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date), array_agg(a.unit_id), array_agg(a.type_id),
           array_agg(0), array_agg(0), array_agg(d.present)
      INTO k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present
      FROM d JOIN activities a ON a.id = d.activity_id
     WHERE a.status IN ('held', 'recorded');
  END IF;
  IF k_tenant IS NOT NULL THEN
    PERFORM activity_month_counts_add(k_tenant, k_month, k_unit, k_type, d_held, d_valid, d_present);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER activity_month_counts_insert AFTER INSERT ON activities REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_activities();--> statement-breakpoint
CREATE TRIGGER activity_month_counts_update AFTER UPDATE ON activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_activities();--> statement-breakpoint
CREATE TRIGGER activity_month_counts_delete BEFORE DELETE ON activities
  FOR EACH ROW EXECUTE FUNCTION activity_month_counts_activity_delete();--> statement-breakpoint
CREATE TRIGGER activity_month_counts_insert AFTER INSERT ON activity_participants REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_participants();--> statement-breakpoint
CREATE TRIGGER activity_month_counts_update AFTER UPDATE ON activity_participants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_participants();--> statement-breakpoint
CREATE TRIGGER activity_month_counts_delete AFTER DELETE ON activity_participants REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION activity_month_counts_participants();--> statement-breakpoint
-- recomputes the counts from the records: of one tenant, or of all (NULL). Used after a bulk
-- load with the triggers disabled (the bench generator) and by the test that checks the
-- triggers; run by the owner only (the application role cannot write the table).
CREATE FUNCTION rebuild_activity_month_counts(p_tenant uuid) RETURNS void LANGUAGE sql SET search_path = public, pg_temp AS $$
  DELETE FROM activity_month_counts WHERE p_tenant IS NULL OR tenant_id = p_tenant;
  INSERT INTO activity_month_counts (tenant_id, month, unit_id, type_id, held, valid, present)
  SELECT a.tenant_id, date_trunc('month', a.starts_at AT TIME ZONE 'Asia/Shanghai')::date, a.unit_id, a.type_id,
         count(*)::int, (count(*) FILTER (WHERE a.valid))::int, coalesce(sum(p.n), 0)::int
    FROM activities a
    LEFT JOIN (SELECT ap.activity_id, count(*) AS n FROM activity_participants ap WHERE ap.attendance = 'present' GROUP BY 1) p ON p.activity_id = a.id
   WHERE a.status IN ('held', 'recorded') AND (p_tenant IS NULL OR a.tenant_id = p_tenant)
   GROUP BY 1, 2, 3, 4;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION rebuild_activity_month_counts(uuid) FROM PUBLIC;--> statement-breakpoint
SELECT rebuild_activity_month_counts(NULL);--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['activity_month_counts'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      -- read only: the rows are written by the triggers above, as the owner
      EXECUTE format('GRANT SELECT ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
