import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenants } from '../org/org.schema';
import { activityTypes } from '../activities/activities.schema';

/**
 * A recurring duty of organisational life: every unit of `unitType` must hold at least
 * `minCount` valid activities of `typeId` in each `period`. Whether it is met is always
 * computed from the activities, never stored.
 */
export const dutyRules = pgTable(
  'duty_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    /** stable key of a seeded default, so re-seeding never duplicates it */
    code: text('code'),
    unitType: text('unit_type').notNull(),
    typeId: uuid('type_id')
      .notNull()
      .references(() => activityTypes.id),
    /** month | quarter | year */
    period: text('period').notNull(),
    minCount: integer('min_count').notNull().default(1),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('duty_rules_tenant_code_idx').on(t.tenantId, t.code).where(sql`${t.code} is not null`),
    uniqueIndex('duty_rules_unique_active_idx').on(t.tenantId, t.unitType, t.typeId, t.period).where(sql`${t.active}`),
    check('duty_rules_period_check', sql`${t.period} in ('month','quarter','year')`),
    check('duty_rules_min_count_check', sql`${t.minCount} between 1 and 100`),
    check(
      'duty_rules_unit_type_check',
      sql`${t.unitType} in ('department','office','party_committee','discipline_committee','branch','party_group')`,
    ),
  ],
);
