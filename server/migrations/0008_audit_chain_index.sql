CREATE INDEX "audit_tenant_id_idx" ON "audit_log" USING btree ("tenant_id","id");--> statement-breakpoint
-- `IS NOT DISTINCT FROM` cannot use an index: the last entry of a chain is found by two
-- index-friendly branches instead (one row read whatever the size of the trail)
CREATE OR REPLACE FUNCTION audit_chain_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('tongxin.audit'), hashtext(coalesce(NEW.tenant_id::text, '')));
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  NEW.at := coalesce(NEW.at, now());
  IF NEW.tenant_id IS NULL THEN
    SELECT a.hash INTO NEW.prev_hash FROM audit_log a WHERE a.tenant_id IS NULL ORDER BY a.id DESC LIMIT 1;
  ELSE
    SELECT a.hash INTO NEW.prev_hash FROM audit_log a WHERE a.tenant_id = NEW.tenant_id ORDER BY a.id DESC LIMIT 1;
  END IF;
  NEW.hash := audit_hash(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;
