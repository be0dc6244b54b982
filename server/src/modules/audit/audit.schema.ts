import { sql } from 'drizzle-orm';
import { bigserial, check, index, inet, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
  ],
);
