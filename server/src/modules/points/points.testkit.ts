import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { CreateRuleSetRequest } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { afterAttendanceChanged, assertActivityEditable } from '../../commands/attendance.command';

/**
 * Test builder: activities and attendance written straight into the activities tables (as
 * their service would), then the points hooks called the way the activities service calls
 * them inside its transaction.
 */

export async function typeId(db: Executor, tenantId: string, code: string): Promise<string> {
  const r = await db.execute<{ id: string }>(sql`select id from activity_types where tenant_id = ${tenantId} and code = ${code}`);
  const id = r.rows[0]?.id;
  if (!id) throw new Error(`no activity type ${code}`);
  return id;
}

export async function buildActivity(
  db: Db,
  tenantId: string,
  o: { typeCode: string; unitId: string; startsAt: string; hours?: number; status?: string },
): Promise<string> {
  const tid = await typeId(db, tenantId, o.typeCode);
  const starts = new Date(o.startsAt);
  const ends = new Date(starts.getTime() + 2 * 3600_000);
  const extra = o.hours === undefined ? {} : { hours: o.hours };
  const r = await db.execute<{ id: string }>(sql`
    insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, extra, signin_secret)
    values (${tenantId}, ${tid}, ${o.unitId}, ${'测试活动'}, ${starts.toISOString()}, ${ends.toISOString()}, ${o.status ?? 'recorded'},
      ${JSON.stringify(extra)}::jsonb, ${randomBytes(16).toString('hex')})
    returning id`);
  const id = r.rows[0]?.id;
  if (!id) throw new Error('activity');
  return id;
}

export type Attendance = { personId: string; branchId: string | null; attendance: 'pending' | 'present' | 'leave' | 'absent'; role?: string; partyStatus?: string; leaveStatus?: string | null };

/** Records (or corrects) attendance rows of an activity and runs the points hooks, in one transaction. */
export async function recordAttendance(db: Db, tenantId: string, activityId: string, rows: Attendance[]): Promise<void> {
  await db.transaction(async (tx) => {
    const a = await tx.execute<{ starts_at: Date }>(sql`select starts_at from activities where id = ${activityId}`);
    const startsAt = a.rows[0]?.starts_at;
    if (!startsAt) throw new Error('activity');
    await assertActivityEditable(tx, tenantId, new Date(startsAt), activityId);
    for (const p of rows) {
      const leaveStatus = p.leaveStatus ?? null;
      await tx.execute(sql`
        insert into activity_participants (tenant_id, activity_id, person_id, role, attendance, party_status, branch_id, leave_status, leave_reason)
        values (${tenantId}, ${activityId}, ${p.personId}, ${p.role ?? 'participant'}, ${p.attendance}, ${p.partyStatus ?? 'full'}, ${p.branchId},
          ${leaveStatus}, ${leaveStatus ? '事假' : null})
        on conflict (activity_id, person_id) do update set attendance = excluded.attendance, role = excluded.role,
          leave_status = excluded.leave_status, leave_reason = excluded.leave_reason`);
    }
    await afterAttendanceChanged(tx, tenantId, activityId);
  });
}

/** The rule set the tests use: a meeting +2, absence −2, study +2 (at most 6 a month), speaker +5, volunteer 1/hour (10 a quarter). */
export const testRules = (o: Partial<CreateRuleSetRequest> = {}): CreateRuleSetRequest => ({
  effectiveFrom: '2026-01-01',
  baseScore: 60,
  grading: { excellentTopPercent: 20, excellentNoSanction: true, basicBelow: 70, failBelow: 60 },
  rules: [
    { code: 'attend_meeting', kind: 'attend', nameZh: '参加支部党员大会', nameEn: 'Meeting', typeCodes: ['branch_general_meeting'], roles: [], amount: 2, cap: null },
    { code: 'absent_meeting', kind: 'absent', nameZh: '无故缺席', nameEn: 'Absent', typeCodes: ['branch_general_meeting'], roles: [], amount: 2, cap: null },
    { code: 'attend_study', kind: 'attend', nameZh: '参加学习', nameEn: 'Study', typeCodes: ['collective_study'], roles: [], amount: 2, cap: { period: 'month', max: 6 } },
    { code: 'speaker', kind: 'role', nameZh: '授课', nameEn: 'Speaker', typeCodes: ['branch_general_meeting', 'collective_study'], roles: ['speaker', 'host'], amount: 5, cap: null },
    { code: 'volunteer', kind: 'volunteer', nameZh: '志愿服务', nameEn: 'Volunteer', typeCodes: ['volunteer_service'], roles: [], amount: 1, cap: { period: 'quarter', max: 10 } },
    { code: 'honour_city', kind: 'honour', nameZh: '市级表彰', nameEn: 'Honour', typeCodes: [], roles: [], amount: 10, cap: null },
    { code: 'sanction', kind: 'sanction', nameZh: '处分', nameEn: 'Sanction', typeCodes: [], roles: [], amount: 20, cap: null },
  ],
  ...o,
});

/** Removes a participant (as the activities service does) and runs the points hook. */
export async function removeParticipant(db: Db, tenantId: string, activityId: string, personId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from activity_participants where activity_id = ${activityId} and person_id = ${personId}`);
    await afterAttendanceChanged(tx, tenantId, activityId);
  });
}
