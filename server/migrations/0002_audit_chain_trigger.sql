-- Tamper-evident audit trail: every entry carries the SHA-256 of the previous entry of its
-- chain (one chain per tenant, one for entries without a tenant). The trigger takes a
-- transaction-scoped advisory lock per chain and only then draws the id, so ids increase in
-- chain order even when transactions commit out of start order.
CREATE OR REPLACE FUNCTION audit_entry_text(e audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|',
    coalesce(e.tenant_id::text, ''),
    -- epoch microseconds: independent of the session's TimeZone and DateStyle
    (extract(epoch FROM e.at) * 1000000)::bigint::text,
    coalesce(e.actor_user_id::text, ''), coalesce(e.actor_name, ''), e.action,
    coalesce(e.target_type, ''), coalesce(e.target_id, ''), e.result,
    coalesce(e.ip::text, ''), coalesce(e.user_agent, ''), coalesce(e.details::text, ''))
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_hash(prev text, e audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(coalesce(prev, '') || '|' || audit_entry_text(e), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_chain_before_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('tongxin.audit'), hashtext(coalesce(NEW.tenant_id::text, '')));
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  NEW.at := coalesce(NEW.at, now());
  SELECT a.hash INTO NEW.prev_hash FROM audit_log a
   WHERE a.tenant_id IS NOT DISTINCT FROM NEW.tenant_id
   ORDER BY a.id DESC LIMIT 1;
  NEW.hash := audit_hash(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_chain_before_insert();
--> statement-breakpoint
-- entries written before the chain existed get linked in id order
DO $$
DECLARE r audit_log; prev text; chain text := NULL; first boolean := true;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY coalesce(tenant_id::text, ''), id LOOP
    IF first OR coalesce(r.tenant_id::text, '') IS DISTINCT FROM chain THEN prev := NULL; END IF;
    first := false;
    chain := coalesce(r.tenant_id::text, '');
    UPDATE audit_log SET prev_hash = prev, hash = audit_hash(prev, r) WHERE id = r.id;
    prev := audit_hash(prev, r);
  END LOOP;
END
$$;
