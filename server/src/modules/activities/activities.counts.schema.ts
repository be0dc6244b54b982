import { sql } from 'drizzle-orm';
import { check, date, integer, pgTable, primaryKey, uuid, index } from 'drizzle-orm/pg-core';
import { tenants, orgUnits } from '../org/org.schema';
import { activityTypes } from './activities.schema';

/**
 * Activity counts per unit × activity type × Shanghai month: a derived table the database
 * keeps in step with activities and activity_participants (triggers in the same transaction
 * as every write, see migration 0030 and docs/decisions/0013-activity-month-counts.md). The
 * application only reads it (the dashboard's activity figures, trend, types and duties);
 * `rebuild_activity_month_counts(tenant)` recomputes it from the records.
 *
 * Only held or recorded activities count (the statuses the activity metrics count):
 * `held` = such activities, `valid` = those of them valid (what duty rules count),
 * `present` = their participants present (people-times). All-zero rows are removed.
 */
export const activityMonthCounts = pgTable(
  'activity_month_counts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** first day of the Shanghai month the activities start in */
    month: date('month').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    typeId: uuid('type_id')
      .notNull()
      .references(() => activityTypes.id),
    held: integer('held').notNull().default(0),
    valid: integer('valid').notNull().default(0),
    present: integer('present').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.month, t.unitId, t.typeId] }),
    index('activity_month_counts_unit_idx').on(t.unitId, t.month),
    // the duties over the counts read only the types some rule counts: an index-only scan of
    // those rows, not a bitmap heap scan of every type's (bench/README.md, dashboard, session 4)
    index('activity_month_counts_type_idx').on(t.tenantId, t.typeId, t.month, t.unitId, t.valid),
    check('activity_month_counts_month_check', sql`extract(day from ${t.month}) = 1`),
    check('activity_month_counts_nonnegative_check', sql`${t.held} >= 0 and ${t.valid} >= 0 and ${t.valid} <= ${t.held} and ${t.present} >= 0`),
  ],
);

/**
 * The same counts summed over the tenant's units: per tenant × Shanghai month × type. Kept by
 * the same trigger function in the same transaction as activity_month_counts (migration 0032),
 * so the whole-tenant dashboard reads ~12 months × ~16 types rows instead of every unit's.
 */
export const activityMonthTypeCounts = pgTable(
  'activity_month_type_counts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    month: date('month').notNull(),
    typeId: uuid('type_id')
      .notNull()
      .references(() => activityTypes.id),
    held: integer('held').notNull().default(0),
    valid: integer('valid').notNull().default(0),
    present: integer('present').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.month, t.typeId] }),
    check('activity_month_type_counts_month_check', sql`extract(day from ${t.month}) = 1`),
    check('activity_month_type_counts_nonnegative_check', sql`${t.held} >= 0 and ${t.valid} >= 0 and ${t.valid} <= ${t.held} and ${t.present} >= 0`),
  ],
);
