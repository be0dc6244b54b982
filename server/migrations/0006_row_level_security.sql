-- Tenant isolation as a second wall behind the service layer. Requests run their SQL as
-- tongxin_app (SET LOCAL ROLE inside each transaction, with tongxin.tenant_id set); that role
-- owns nothing, so row-level security applies to it. Migrations and pre-sign-in lookups
-- (session by token hash, user by name) run as the owner, which bypasses RLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
    CREATE ROLE tongxin_app NOLOGIN;
  END IF;
  -- a non-superuser owner needs membership to SET ROLE; a superuser has it implicitly
  IF NOT pg_has_role(current_user, 'tongxin_app', 'MEMBER') THEN
    EXECUTE format('GRANT tongxin_app TO %I', current_user);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'cannot create or grant role tongxin_app: row-level security will not be applied to requests';
END
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN RETURN; END IF;
  GRANT USAGE ON SCHEMA public TO tongxin_app;
  GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO tongxin_app;
  GRANT SELECT ON tenants TO tongxin_app;
  -- the audit trail is append-only for the application
  GRANT SELECT, INSERT ON audit_log TO tongxin_app;
  FOREACH t IN ARRAY ARRAY['org_units', 'people', 'users', 'roles', 'role_grants', 'sessions', 'password_history', 'security_policies'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
  END LOOP;
END
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['org_units', 'people', 'users', 'roles', 'role_grants', 'sessions', 'password_history', 'security_policies', 'audit_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- the chain trigger must read the last entry of any chain, whoever inserts
ALTER FUNCTION audit_chain_before_insert() SECURITY DEFINER;
--> statement-breakpoint
ALTER FUNCTION audit_chain_before_insert() SET search_path = public, pg_temp;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants USING (id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid);
