DROP INDEX "people_tenant_name_idx";--> statement-breakpoint
CREATE INDEX "people_tenant_name_zh_idx" ON "people" USING btree ("tenant_id","name" collate "zh-x-icu","id");