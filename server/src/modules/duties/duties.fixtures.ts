// Test fixtures of the duties area: activity types by code and activities inserted directly,
// so the duties tests do not depend on the activities module's services.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Permission } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import type { Actor } from '../../platform/access';
import type { OrgUnitRow } from '../org/org.repo';
import { activities, activityParticipants } from '../activities/activities.schema';
import { seedDutyRules } from './duties.defaults';

const typeCodes = [
  ['branch_general_meeting', '支部党员大会'],
  ['branch_committee_meeting', '支部委员会会议'],
  ['party_group_meeting', '党小组会'],
  ['party_lecture', '党课'],
  ['theme_party_day', '主题党日'],
  ['organisational_life_meeting', '组织生活会'],
  ['member_appraisal', '民主评议党员'],
  ['central_group_study', '理论学习中心组学习'],
] as const;

/** Makes sure the default types exist (whether or not the catalogue seeder ran), then seeds the rules. */
export async function ensureTypesAndRules(db: Db, tenantId: string): Promise<Record<string, string>> {
  for (const [code, nameZh] of typeCodes) {
    await db.execute(sql`insert into activity_types (tenant_id, code, name_zh, name_en, category)
      values (${tenantId}, ${code}, ${nameZh}, ${code}, 'organisational_life') on conflict do nothing`);
  }
  await db.transaction((tx) => seedDutyRules(tx, tenantId));
  const r = await db.execute<{ id: string; code: string }>(sql`select id, code from activity_types where tenant_id = ${tenantId}`);
  return Object.fromEntries(r.rows.map((x) => [x.code, x.id]));
}

export async function insertActivity(
  db: Db,
  tenantId: string,
  o: { unitId: string; typeId: string; startsAt: string; status?: string; valid?: boolean; topic?: string; place?: string; durationMin?: number },
): Promise<string> {
  const startsAt = new Date(o.startsAt);
  const status = o.status ?? 'recorded';
  const [row] = await db
    .insert(activities)
    .values({
      tenantId,
      unitId: o.unitId,
      typeId: o.typeId,
      topic: o.topic ?? '测试活动',
      place: o.place ?? null,
      startsAt,
      endsAt: new Date(startsAt.getTime() + (o.durationMin ?? 90) * 60_000),
      status,
      cancelReason: status === 'cancelled' ? '测试取消' : null,
      valid: o.valid ?? true,
      signinSecret: randomBytes(16).toString('hex'),
    })
    .returning({ id: activities.id });
  if (!row) throw new Error('activity');
  return row.id;
}

export async function addParticipant(db: Db, tenantId: string, activityId: string, personId: string): Promise<void> {
  await db.insert(activityParticipants).values({ tenantId, activityId, personId, partyStatus: 'full' });
}

/** An actor for calling services directly (with a fixed `now`). */
export function actorFor(tenantId: string, scope: OrgUnitRow, permissions: Permission[], userId = '00000000-0000-4000-8000-000000000000'): Actor {
  return {
    userId,
    username: 'tester',
    displayName: 'tester',
    personId: null,
    tenantId,
    mustChangePassword: false,
    mustRename: false,
    totpEnabled: false,
    totpEnrolmentRequired: false,
    grants: [{ code: 'test', name: 'test', permissions, scopeUnitId: scope.id, scopeUnitName: scope.name, scopePath: scope.path }],
    ip: null,
    userAgent: null,
  };
}
