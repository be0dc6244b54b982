import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../org/org.schema';

/** Password and lockout policy of a tenant; the security admin edits it. */
export const securityPolicies = pgTable(
  'security_policies',
  {
    tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id),
    passwordMinLength: integer('password_min_length').notNull().default(10),
    passwordMinClasses: integer('password_min_classes').notNull().default(3),
    passwordHistory: integer('password_history').notNull().default(5),
    passwordMaxAgeDays: integer('password_max_age_days').notNull().default(90),
    passwordWarnDays: integer('password_warn_days').notNull().default(7),
    lockoutThreshold: integer('lockout_threshold').notNull().default(5),
    lockoutMinutes: integer('lockout_minutes').notNull().default(30),
    /** a second factor for administrators and anyone who may reveal or export personal data */
    totpRequired: boolean('totp_required').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('security_policies_ranges', sql`${t.passwordMinLength} between 8 and 128 and ${t.passwordMinClasses} between 1 and 4
      and ${t.passwordHistory} between 0 and 24 and ${t.passwordMaxAgeDays} between 0 and 3650
      and ${t.passwordWarnDays} between 0 and 90 and ${t.lockoutThreshold} between 1 and 100
      and ${t.lockoutMinutes} between 1 and 1440`),
  ],
);
