CREATE TABLE "contact_name_grams" (
	"tenant_id" uuid NOT NULL,
	"gram" text NOT NULL,
	"name" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"active" boolean NOT NULL,
	"office_id" uuid NOT NULL,
	CONSTRAINT "contact_name_grams_contact_id_gram_pk" PRIMARY KEY("contact_id","gram")
);
--> statement-breakpoint
CREATE INDEX "contact_name_grams_search_idx" ON "contact_name_grams" USING btree ("tenant_id","gram","name" collate "zh-x-icu","contact_id","active","office_id");--> statement-breakpoint
-- contact_name_grams follows contacts: statement-level triggers with transition tables, so an
-- import of 50,000 contacts adds their grams in one INSERT … SELECT rather than 50,000 calls.
-- They run as the caller: under row-level security the rows they write are the caller's
-- tenant's, as the contacts are. The grams are those of contacts.name_grams (1 and 2 characters).
CREATE FUNCTION contact_name_grams_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO contact_name_grams (tenant_id, gram, name, contact_id, active, office_id)
  SELECT DISTINCT n.tenant_id, g.gram, n.name, n.id, n.active, n.office_id
    FROM new_rows n CROSS JOIN LATERAL unnest(n.name_grams) AS g(gram)
   WHERE char_length(g.gram) <= 2;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION contact_name_grams_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- only contacts whose name, grams, status or office changed (a version bump leaves them)
  DELETE FROM contact_name_grams g
   USING new_rows n JOIN old_rows o ON o.id = n.id
   WHERE g.contact_id = o.id
     AND (n.name, n.name_grams, n.active, n.office_id, n.tenant_id) IS DISTINCT FROM (o.name, o.name_grams, o.active, o.office_id, o.tenant_id);
  INSERT INTO contact_name_grams (tenant_id, gram, name, contact_id, active, office_id)
  SELECT DISTINCT n.tenant_id, g.gram, n.name, n.id, n.active, n.office_id
    FROM new_rows n JOIN old_rows o ON o.id = n.id
         CROSS JOIN LATERAL unnest(n.name_grams) AS g(gram)
   WHERE char_length(g.gram) <= 2
     AND (n.name, n.name_grams, n.active, n.office_id, n.tenant_id) IS DISTINCT FROM (o.name, o.name_grams, o.active, o.office_id, o.tenant_id);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION contact_name_grams_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM contact_name_grams g USING old_rows o WHERE g.contact_id = o.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER contact_name_grams_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION contact_name_grams_insert();--> statement-breakpoint
CREATE TRIGGER contact_name_grams_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION contact_name_grams_update();--> statement-breakpoint
CREATE TRIGGER contact_name_grams_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION contact_name_grams_delete();--> statement-breakpoint
-- the contacts registered before this migration
INSERT INTO contact_name_grams (tenant_id, gram, name, contact_id, active, office_id)
SELECT DISTINCT c.tenant_id, g.gram, c.name, c.id, c.active, c.office_id
  FROM contacts c CROSS JOIN LATERAL unnest(c.name_grams) AS g(gram)
 WHERE char_length(g.gram) <= 2;--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['contact_name_grams'] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tongxin_app') THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tongxin_app', t);
    END IF;
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I USING (tenant_id = nullif(current_setting('tongxin.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;
