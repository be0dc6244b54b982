import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AppNotification } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { addParticipant, ensureTypesAndRules, insertActivity } from '../duties/duties.fixtures';
import { notify, type NotificationChannel } from './notifications.channels';
import { remindActivityParticipants, shanghaiTomorrow } from './notifications.reminders.service';
import type { NotificationRow } from './notifications.repo';

const { app, db } = await testApp();
let t: TenantFixture;
let alice: Client, bob: Client;
let aliceId: string, bobId: string;

async function userId(username: string) {
  const r = await db.execute<{ id: string }>(sql`select id from users where username = ${username}`);
  return r.rows[0]?.id as string;
}

beforeAll(async () => {
  t = await buildTenant(db);
  const a = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read'] });
  const b = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read'] });
  aliceId = await userId(a);
  bobId = await userId(b);
  alice = await signIn(app, a);
  bob = await signIn(app, b);
});

describe('notifications', () => {
  it('lists, counts and marks only the user’s own', async () => {
    const rows = [1, 2, 3].map((i) => ({ tenantId: t.tenantId, userId: aliceId, kind: 'test', title: `通知${i}`, link: '/duties' }));
    await db.transaction((tx) => notify(tx, [...rows, { tenantId: t.tenantId, userId: bobId, kind: 'test', title: '给Bob' }]));
    expect((await alice({ url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unread: 3 });
    const page = (await alice({ url: '/api/v1/notifications?pageSize=2' })).json() as { items: AppNotification[]; total: number };
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    const bobs = (await bob({ url: '/api/v1/notifications' })).json() as { items: AppNotification[] };
    expect(bobs.items.map((n) => n.title)).toEqual(['给Bob']);
    const bobsId = bobs.items[0]?.id as string;

    // Alice cannot mark Bob's: 404, and Bob's stays unread
    expect((await alice({ method: 'POST', url: `/api/v1/notifications/${bobsId}/read` })).statusCode).toBe(404);
    expect((await bob({ url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unread: 1 });

    const first = page.items[0] as AppNotification;
    expect((await alice({ method: 'POST', url: `/api/v1/notifications/${first.id}/read` })).statusCode).toBe(200);
    expect((await alice({ url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unread: 2 });
    const unread = (await alice({ url: '/api/v1/notifications?unread=true' })).json() as { items: AppNotification[] };
    expect(unread.items.map((n) => n.id)).not.toContain(first.id);
    expect((await alice({ method: 'POST', url: '/api/v1/notifications/read-all' })).statusCode).toBe(200);
    expect((await alice({ url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unread: 0 });
    expect((await bob({ url: '/api/v1/notifications/unread-count' })).json()).toEqual({ unread: 1 });
    expect((await app.inject({ url: '/api/v1/notifications/unread-count' })).statusCode).toBe(401);
  });

  it('hands new notifications to the other channels, once', async () => {
    const delivered: NotificationRow[] = [];
    const channel: NotificationChannel = { name: 'test', deliver: async (rows) => void delivered.push(...rows) };
    const row = { tenantId: t.tenantId, userId: bobId, kind: 'test', title: '一次', dedupeKey: 'test:once' };
    await db.transaction((tx) => notify(tx, [row], [channel]));
    await db.transaction((tx) => notify(tx, [row], [channel]));
    expect(delivered.map((n) => n.title)).toEqual(['一次']);
  });
});

describe('activity reminders', () => {
  it('the day before (Shanghai calendar), tells expected participants with accounts, never twice', async () => {
    const types = await ensureTypesAndRules(db, t.tenantId);
    const office = await buildUnit(db, t, { type: 'office' });
    const branch = await buildUnit(db, t, { type: 'branch', name: '支部' });
    const withAccount = await buildPerson(db, t.tenantId, { officeId: office.id, partyStatus: 'full', branchId: branch.id });
    const without = await buildPerson(db, t.tenantId, { officeId: office.id, partyStatus: 'full', branchId: branch.id });
    await db.execute(sql`update users set person_id = ${withAccount} where id = ${aliceId}`);
    const typeId = types.theme_party_day as string;
    const tomorrow = await insertActivity(db, t.tenantId, { unitId: branch.id, typeId, startsAt: '2026-07-02T00:30:00+08:00', status: 'planned', topic: '七月主题党日', place: '三楼会议室' });
    const later = await insertActivity(db, t.tenantId, { unitId: branch.id, typeId, startsAt: '2026-07-03T00:30:00+08:00', status: 'planned' });
    const cancelled = await insertActivity(db, t.tenantId, { unitId: branch.id, typeId, startsAt: '2026-07-02T10:00:00+08:00', status: 'cancelled' });
    for (const a of [tomorrow, later, cancelled]) {
      await addParticipant(db, t.tenantId, a, withAccount);
      await addParticipant(db, t.tenantId, a, without);
    }
    // 1 July 23:50 Shanghai is 15:50 UTC: "tomorrow" is 2 July in Shanghai
    const now = new Date('2026-07-01T23:50:00+08:00');
    expect(shanghaiTomorrow(now).from.toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(await remindActivityParticipants(db, now)).toBe(1);
    expect(await remindActivityParticipants(db, new Date('2026-07-01T09:00:00+08:00'))).toBe(0);
    const mine = (await alice({ url: '/api/v1/notifications?unread=true' })).json() as { items: AppNotification[] };
    expect(mine.items).toMatchObject([{ kind: 'activity.reminder', title: '明日活动：七月主题党日', link: `/activities/${tomorrow}` }]);
    expect(mine.items[0]?.body).toContain('三楼会议室');
  });
});
