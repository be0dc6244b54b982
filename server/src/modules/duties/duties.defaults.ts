import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/db';

type DefaultRule = { unitType: string; typeCode: string; period: 'month' | 'quarter' | 'year'; minCount: number };

/** The duties of organisational life from the domain note (2018 branch work regulations). */
export const defaultDutyRules: DefaultRule[] = [
  { unitType: 'branch', typeCode: 'branch_general_meeting', period: 'quarter', minCount: 1 },
  { unitType: 'branch', typeCode: 'branch_committee_meeting', period: 'month', minCount: 1 },
  { unitType: 'branch', typeCode: 'party_lecture', period: 'quarter', minCount: 1 },
  { unitType: 'branch', typeCode: 'theme_party_day', period: 'month', minCount: 1 },
  { unitType: 'branch', typeCode: 'organisational_life_meeting', period: 'year', minCount: 1 },
  { unitType: 'branch', typeCode: 'member_appraisal', period: 'year', minCount: 1 },
  { unitType: 'party_group', typeCode: 'party_group_meeting', period: 'month', minCount: 1 },
  { unitType: 'department', typeCode: 'central_group_study', period: 'month', minCount: 1 },
  { unitType: 'party_committee', typeCode: 'central_group_study', period: 'month', minCount: 1 },
];

export const defaultRuleCode = (r: Pick<DefaultRule, 'unitType' | 'typeCode'>) => `${r.unitType}:${r.typeCode}`;

/**
 * Seeds the default duty rules by code. A rule whose activity type is not in the tenant's
 * catalogue is skipped (the join finds nothing), so the order of seeders does not matter;
 * a rule the tenant changed or deactivated keeps its code and is never re-created.
 */
export async function seedDutyRules(tx: Tx, tenantId: string): Promise<void> {
  const values = sql.join(
    defaultDutyRules.map((r) => sql`(${defaultRuleCode(r)}, ${r.unitType}, ${r.typeCode}, ${r.period}, ${r.minCount}::int)`),
    sql`, `,
  );
  await tx.execute(sql`
    insert into duty_rules (tenant_id, code, unit_type, type_id, period, min_count)
    select ${tenantId}, d.code, d.unit_type, t.id, d.period, d.min_count
      from (values ${values}) as d(code, unit_type, type_code, period, min_count)
      join activity_types t on t.tenant_id = ${tenantId} and t.code = d.type_code
    on conflict do nothing`);
}
