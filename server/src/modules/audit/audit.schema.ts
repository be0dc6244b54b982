import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, inet, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../org/org.schema';

/** Append-only trail of sign-ins, writes, exports and reveals. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: uuid('tenant_id').references(() => tenants.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    result: text('result').notNull(),
    ip: inet('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    /** Hash of the previous entry of the same tenant's chain; set by the insert trigger. */
    prevHash: text('prev_hash'),
    /** SHA-256 over prev_hash and this entry's fields; set by the insert trigger. */
    hash: text('hash'),
  },
  (t) => [
    check('audit_result_check', sql`${t.result} in ('ok','denied','failed')`),
    index('audit_tenant_at_idx').on(t.tenantId, t.at),
    // the chain trigger reads the last entry of a chain; the verifier walks chains in id order
    index('audit_tenant_id_idx').on(t.tenantId, t.id),
    // timelines of a record (a contact, an enterprise) read its entries by target
    index('audit_tenant_target_idx').on(t.tenantId, t.targetId, t.at).where(sql`${t.targetId} is not null`),
  ],
);

/**
 * Where a chain continues after its older entries were archived to a signed file and removed
 * (`tongxin audit-archive`): the hash of the last archived entry, which the first remaining
 * entry links to, and the file's SHA-256 and entry count. Written by the owner role only.
 */
export const auditAnchors = pgTable(
  'audit_anchors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** null: the chain of entries without a tenant */
    tenantId: uuid('tenant_id').references(() => tenants.id),
    /** id of the last archived entry of the chain */
    throughId: bigint('through_id', { mode: 'number' }).notNull(),
    lastHash: text('last_hash').notNull(),
    entryCount: integer('entry_count').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    archivedBefore: timestamp('archived_before', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_anchors_tenant_idx').on(t.tenantId, t.throughId),
    check('audit_anchors_count_check', sql`${t.entryCount} > 0`),
    check('audit_anchors_hash_check', sql`${t.lastHash} ~ '^[0-9a-f]{64}$' and ${t.fileSha256} ~ '^[0-9a-f]{64}$'`),
  ],
);
