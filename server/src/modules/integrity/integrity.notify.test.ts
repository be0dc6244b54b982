import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AppNotification } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { integrityRisks } from './integrity.schema';
import { notifyOverdueRiskReviews, shanghaiDate } from './integrity.notify.service';

const { app, db } = await testApp();
let t: TenantFixture;
let owner: Client;
let ownerUser: string;
let overdueId: string;

async function addRisk(tenantId: string, officeId: string, ownerPersonId: string, duty: string, reviewDueOn: string): Promise<string> {
  const [r] = await db
    .insert(integrityRisks)
    .values({ tenantId, officeId, duty, risk: `${duty}的风险`, level: 'medium', controls: '制度约束', ownerPersonId, reviewDueOn })
    .returning({ id: integrityRisks.id });
  if (!r) throw new Error('risk');
  return r.id;
}

beforeAll(async () => {
  t = await buildTenant(db);
  const office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  const ownerPerson = await buildPerson(db, t.tenantId, { officeId: office.id, name: '钱责任' });
  const noAccount = await buildPerson(db, t.tenantId, { officeId: office.id, name: '孙无号' });
  ownerUser = await buildUser(db, t.tenantId, { scopeUnitId: office.id, permissions: ['unitedfront.read'] });
  await db.execute(sql`update users set person_id = ${ownerPerson} where username = ${ownerUser}`);
  owner = await signIn(app, ownerUser);
  // 2026-06-30 is due on the last day: overdue from 1 July (Shanghai)
  overdueId = await addRisk(t.tenantId, office.id, ownerPerson, '公务接待', '2026-06-30');
  await addRisk(t.tenantId, office.id, ownerPerson, '物资采购', '2026-07-01');
  await addRisk(t.tenantId, office.id, noAccount, '干部选任', '2026-01-31');
});

describe('overdue integrity reviews', () => {
  it('tell the owner in the app once per risk point and day, from the day after the review date (Shanghai)', async () => {
    // 30 June 23:30 Shanghai is still the review day; 1 July 00:30 Shanghai (30 June 16:30 UTC) is past it
    expect(shanghaiDate(new Date('2026-06-30T16:30:00Z'))).toBe('2026-07-01');
    expect(await notifyOverdueRiskReviews(db, new Date('2026-06-30T23:30:00+08:00'))).toBe(0);
    const firstDay = new Date('2026-07-01T00:30:00+08:00');
    expect(await notifyOverdueRiskReviews(db, firstDay)).toBe(1);
    // the daily job rerun (or run by two workers) the same day sends nothing new
    expect(await notifyOverdueRiskReviews(db, new Date('2026-07-01T18:00:00+08:00'))).toBe(0);

    const mine = (await owner({ url: '/api/v1/notifications?unread=true' })).json() as { items: AppNotification[] };
    expect(mine.items).toMatchObject([{ kind: 'integrity.review_overdue', title: '廉政风险点复核已逾期：公务接待', link: '/united-front?tab=integrity' }]);
    expect(mine.items[0]?.body).toContain('2026-06-30');

    // the next day it is still overdue: one more reminder, and the point due on 1 July joins it
    expect(await notifyOverdueRiskReviews(db, new Date('2026-07-02T08:30:00+08:00'))).toBe(2);
  });

  it('stop once the review is recorded (the review date moves on)', async () => {
    await db.execute(sql`update integrity_risks set review_due_on = '2026-12-31', last_reviewed_on = '2026-07-02' where id = ${overdueId}`);
    const n = await notifyOverdueRiskReviews(db, new Date('2026-07-03T08:30:00+08:00'));
    expect(n).toBe(1);
    const titles = await db.execute<{ title: string }>(sql`
      select n.title from notifications n join users u on u.id = n.user_id
       where u.username = ${ownerUser} and n.dedupe_key like '%:2026-07-03'`);
    expect(titles.rows.map((r) => r.title)).toEqual(['廉政风险点复核已逾期：物资采购']);
  });
});
