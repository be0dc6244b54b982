ALTER TABLE "points_entries" DROP CONSTRAINT "points_entries_participant_id_activity_participants_id_fk";
--> statement-breakpoint
CREATE INDEX "points_entries_participant_idx" ON "points_entries" USING btree ("participant_id");