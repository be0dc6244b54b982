-- 三权分立: nobody holds two of the system, security and audit administrator roles. Kept in
-- the database so that no code path (API, CLI, a hand-written grant) can break it.
CREATE OR REPLACE FUNCTION role_grants_admin_exclusive() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE kinds int;
BEGIN
  -- serialise grants to one user, so two concurrent grants cannot both pass the count
  PERFORM pg_advisory_xact_lock(hashtext('tongxin.admin_roles'), hashtext(NEW.user_id::text));
  SELECT count(DISTINCT r.code) INTO kinds
    FROM role_grants g JOIN roles r ON r.id = g.role_id
   WHERE g.user_id = NEW.user_id AND r.code IN ('sys_admin', 'security_admin', 'audit_admin');
  IF kinds > 1 THEN
    RAISE EXCEPTION 'a user may hold only one of the three administrator roles'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'role_grants_admin_exclusive';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER role_grants_admin_exclusive AFTER INSERT OR UPDATE ON role_grants
  FOR EACH ROW EXECUTE FUNCTION role_grants_admin_exclusive();
