-- Name-fragment search under row-level security. The array containment operator (@>) is not
-- LEAKPROOF, so with the tenant policy in force PostgreSQL evaluates it only after the policy,
-- row by row, and never through the GIN index on name_grams: every search read all contacts
-- (1.2 s over 1,000,000). This function runs as its owner (no policy) and confines itself to
-- the tenant of the transaction, exactly as the policy does; the query then joins on contact
-- ids, whose equality is leakproof.
CREATE FUNCTION uf_contact_ids_by_grams(grams text[]) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT id FROM contacts
     WHERE tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid
       AND name_grams @> grams
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION uf_contact_ids_by_grams(text[]) FROM PUBLIC;--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
    GRANT EXECUTE ON FUNCTION uf_contact_ids_by_grams(text[]) TO tongxin_app;
  END IF;
END
$$;
