DROP INDEX "people_tenant_id_number_idx";--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "phone_masked" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "id_number_enc" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "id_number_masked" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "id_number_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "people_tenant_id_number_hash_idx" ON "people" USING btree ("tenant_id","id_number_hash") WHERE "people"."id_number_hash" is not null;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_phone_sealed_check" CHECK (("people"."phone_enc" is null) = ("people"."phone_masked" is null));--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_id_number_sealed_check" CHECK (("people"."id_number_enc" is null) = ("people"."id_number_masked" is null) and ("people"."id_number_enc" is null) = ("people"."id_number_hash" is null));