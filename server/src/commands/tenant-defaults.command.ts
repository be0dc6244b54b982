import { tenants } from '../modules/org/org.schema';
import { ensureBuiltinRoles } from '../modules/auth/auth.service';
import type { Db, Tx } from '../platform/db/db';
import { seedDutyRules } from '../modules/duties/duties.defaults';
import { seedActivityTypes } from '../modules/activities/activities.defaults';
import { seedDefaultRuleSet } from '../modules/points/points.service';
import { ensureUnitedFrontCatalogue } from '../modules/contacts/contacts.service';
import { ensureProblemCategories } from '../modules/rectification/rectification.service';
import { seedReportTemplates } from '../modules/reports/reports.defaults';

/**
 * What every tenant starts with, area by area: built-in roles, the activity-type catalogue,
 * duty rules, a points rule set… Each seeder is idempotent (insert what is missing by its
 * code, never overwrite what a tenant changed, except the built-in roles' permissions,
 * which follow the code), so this runs at every start-up for every tenant, and when a
 * tenant is created.
 */
type Seeder = (tx: Tx, tenantId: string) => Promise<unknown>;

// seedDutyRules looks activity types up by code: it stays after the activity-type seeder
const seeders: Seeder[] = [ensureBuiltinRoles, seedActivityTypes, seedDutyRules, seedDefaultRuleSet, ensureUnitedFrontCatalogue, ensureProblemCategories, seedReportTemplates];

export async function ensureTenantDefaults(tx: Tx, tenantId: string): Promise<void> {
  for (const seed of seeders) await seed(tx, tenantId);
}

/** At start-up, as the owner (outside row-level security): every tenant, one transaction each. */
export async function ensureAllTenantDefaults(db: Db): Promise<number> {
  const rows = await db.select({ id: tenants.id }).from(tenants);
  for (const t of rows) await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
  return rows.length;
}
