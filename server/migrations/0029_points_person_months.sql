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
CREATE INDEX "points_person_months_period_idx" ON "points_person_months" USING btree ("tenant_id","period");--> statement-breakpoint
-- ADR 0012: points_person_months is a projection of the ledger that only the database writes.
-- The formula (one place, used by the trigger and the rebuild): per person × month × branch ×
-- rule, the net of each rule version (a version whose entries were all reversed keeps no cap),
-- then each step's share of its cap bucket (month, quarter or year, always inside one year):
-- clamp(cum) - clamp(cum - amt), in (period, branch) order, with the lowest cap seen in the
-- bucket up to that month. A month's figures depend only on the same year's entries up to that
-- month, so a closed month stays as it was. Every window partitions by tenant, person and year,
-- so a filter on them is pushed down to the ledger's (person_id, period) index.
CREATE VIEW "points_person_month_calc" AS
SELECT tenant_id, person_id, year, period, branch_id,
  coalesce(sum(counted) FILTER (WHERE counted > 0), 0) AS additions,
  coalesce(sum(counted) FILTER (WHERE counted < 0), 0) AS deductions,
  coalesce(sum(abs(amt - counted)), 0) AS capped,
  coalesce(bool_or(kind = 'sanction' AND bucket_amt < 0), false) AS sanctioned
FROM (
  SELECT c.*,
    CASE WHEN gcap IS NULL THEN amt ELSE greatest(-gcap, least(gcap, cum)) - greatest(-gcap, least(gcap, cum - amt)) END AS counted
  FROM (
    SELECT e.*,
      min(cap) OVER (PARTITION BY tenant_id, person_id, year, rule_code, bucket ORDER BY period RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS gcap,
      sum(amt) OVER (PARTITION BY tenant_id, person_id, year, rule_code, bucket ORDER BY period, branch_id ROWS UNBOUNDED PRECEDING) AS cum,
      sum(amt) OVER (PARTITION BY tenant_id, person_id, year, rule_code, bucket) AS bucket_amt
    FROM (
      SELECT tenant_id, person_id, year, branch_id, period, rule_code, min(kind) AS kind, sum(amt) AS amt, min(cap) AS cap,
        date_trunc(coalesce(min(cap_period), 'month'), period)::date AS bucket
      FROM (
        -- zero-net versions stay as rows (the person still has entries in that month and
        -- branch, so tallies list them) but carry no cap
        SELECT tenant_id, person_id, date_trunc('year', period)::date AS year, branch_id, period, rule_code, min(rule_kind) AS kind,
          sum(amount) AS amt,
          CASE WHEN sum(amount) <> 0 THEN cap END AS cap,
          CASE WHEN sum(amount) <> 0 THEN cap_period END AS cap_period
        FROM points_entries
        GROUP BY tenant_id, person_id, branch_id, period, rule_code, rule_set_version, cap, cap_period
      ) v
      GROUP BY tenant_id, person_id, year, branch_id, period, rule_code
    ) e
  ) c
) d
GROUP BY tenant_id, person_id, year, period, branch_id;
--> statement-breakpoint
-- Recomputes the person-years an insert into the ledger touches, in the inserting transaction.
-- SECURITY DEFINER: the application role cannot write the summary itself, only through the
-- ledger. One writer per person-year at a time (an advisory lock taken before the statements
-- that read), so two transactions adding entries for the same person never lose one.
CREATE FUNCTION points_person_months_refresh() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  persons uuid[];
  years date[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('points_person_months'), k.h)
    FROM (SELECT DISTINCT hashtext(tenant_id::text || person_id::text || date_trunc('year', period)::date::text) AS h FROM new_rows ORDER BY 1) k;
  SELECT array_agg(DISTINCT person_id), array_agg(DISTINCT date_trunc('year', period)::date) INTO persons, years FROM new_rows;
  DELETE FROM points_person_months s
    USING (SELECT DISTINCT tenant_id, person_id, date_trunc('year', period)::date AS year FROM new_rows) k
    WHERE s.tenant_id = k.tenant_id AND s.person_id = k.person_id AND s.period >= k.year AND s.period < (k.year + interval '1 year');
  INSERT INTO points_person_months (tenant_id, person_id, period, branch_id, additions, deductions, capped, sanctioned)
  SELECT c.tenant_id, c.person_id, c.period, c.branch_id, c.additions, c.deductions, c.capped, c.sanctioned
  FROM points_person_month_calc c
  -- array parameters, not sub-selects: only those are pushed down into the view's windows
  WHERE c.person_id = ANY (persons) AND c.year = ANY (years)
    AND (c.tenant_id, c.person_id, c.year) IN (SELECT tenant_id, person_id, date_trunc('year', period)::date FROM new_rows);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER points_entries_person_months AFTER INSERT ON points_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_person_months_refresh();
--> statement-breakpoint
-- A tenant's summary from scratch (after a bulk load with triggers off, or to check it).
-- Owner only: the application has no reason to rewrite a tenant's summary.
CREATE FUNCTION points_rebuild_person_months(tenant uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('points_person_months'), hashtext(tenant::text));
  DELETE FROM points_person_months WHERE tenant_id = tenant;
  INSERT INTO points_person_months (tenant_id, person_id, period, branch_id, additions, deductions, capped, sanctioned)
  SELECT c.tenant_id, c.person_id, c.period, c.branch_id, c.additions, c.deductions, c.capped, c.sanctioned
  FROM points_person_month_calc c WHERE c.tenant_id = tenant;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
--> statement-breakpoint
-- the ledger written before this migration
INSERT INTO points_person_months (tenant_id, person_id, period, branch_id, additions, deductions, capped, sanctioned)
SELECT tenant_id, person_id, period, branch_id, additions, deductions, capped, sanctioned FROM points_person_month_calc;
--> statement-breakpoint
REVOKE ALL ON FUNCTION points_rebuild_person_months(uuid) FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['points_person_months'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      -- read only: the database writes it, through the ledger's trigger
      EXECUTE format('GRANT SELECT ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
