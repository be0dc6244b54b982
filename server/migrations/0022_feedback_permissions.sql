-- Feedback forms get their own permissions (they used programs.*). Every role that could
-- read or build forms before keeps that ability: built-in roles follow the code at start-up,
-- so this is for the roles a tenant defined itself.
UPDATE "roles" SET "permissions" = array_append("permissions", 'feedback.read')
  WHERE 'programs.read' = ANY("permissions") AND NOT ('feedback.read' = ANY("permissions"));--> statement-breakpoint
UPDATE "roles" SET "permissions" = array_append("permissions", 'feedback.manage')
  WHERE 'programs.write' = ANY("permissions") AND NOT ('feedback.manage' = ANY("permissions"));
