CREATE TABLE "audit_anchors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid,
	"through_id" bigint NOT NULL,
	"last_hash" text NOT NULL,
	"entry_count" integer NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"archived_before" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_anchors_count_check" CHECK ("audit_anchors"."entry_count" > 0),
	CONSTRAINT "audit_anchors_hash_check" CHECK ("audit_anchors"."last_hash" ~ '^[0-9a-f]{64}$' and "audit_anchors"."file_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_rename" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_anchors" ADD CONSTRAINT "audit_anchors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_anchors_tenant_idx" ON "audit_anchors" USING btree ("tenant_id","through_id");--> statement-breakpoint
-- the built-in administrator of an existing deployment must take a personal name too
UPDATE "users" SET "must_rename" = true WHERE lower("username") IN ('admin', 'administrator', 'root');
--> statement-breakpoint
-- anchors are written by the owner (the archive CLI); the app reads them to verify its chain
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
    GRANT SELECT ON audit_anchors TO tongxin_app;
    -- the users page shows who is locked out and the system admin unlocks them (the
    -- service first finds the user in its own tenant); the table holds names and counts only
    GRANT SELECT, DELETE ON login_failures TO tongxin_app;
  END IF;
  ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY;
  CREATE POLICY tenant_isolation ON audit_anchors USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid);
END
$$;
--> statement-breakpoint
-- after an archive removed every entry of a chain, the next entry links to the anchor
CREATE OR REPLACE FUNCTION audit_chain_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('tongxin.audit'), hashtext(coalesce(NEW.tenant_id::text, '')));
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  NEW.at := coalesce(NEW.at, now());
  SELECT a.hash INTO NEW.prev_hash FROM audit_log a
   WHERE a.tenant_id IS NOT DISTINCT FROM NEW.tenant_id
   ORDER BY a.id DESC LIMIT 1;
  IF NOT FOUND THEN
    SELECT x.last_hash INTO NEW.prev_hash FROM audit_anchors x
     WHERE x.tenant_id IS NOT DISTINCT FROM NEW.tenant_id
     ORDER BY x.through_id DESC LIMIT 1;
  END IF;
  NEW.hash := audit_hash(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;
