import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import type { CalendarFeed } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { addParticipant, ensureTypesAndRules, insertActivity } from '../duties/duties.fixtures';

const { app, db } = await testApp();
let t: TenantFixture;
let member: Client, noPerson: Client;
let ids: { planned: string; cancelled: string; other: string };
let startsAt: Date;

beforeAll(async () => {
  t = await buildTenant(db);
  const types = await ensureTypesAndRules(db, t.tenantId);
  const office = await buildUnit(db, t, { type: 'office' });
  const branch = await buildUnit(db, t, { type: 'branch', name: '第一党支部' });
  const person = await buildPerson(db, t.tenantId, { officeId: office.id, partyStatus: 'full', branchId: branch.id });
  const otherPerson = await buildPerson(db, t.tenantId, { officeId: office.id, partyStatus: 'full', branchId: branch.id });
  const username = await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['activities.read'] });
  await db.execute(sql`update users set person_id = ${person} where username = ${username}`);
  member = await signIn(app, username);
  noPerson = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['activities.read'] }));
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
  startsAt = new Date(soon);
  const typeId = types.theme_party_day as string;
  // a topic and place that need escaping (, ; \ newline) and folding (long, multi-byte)
  const planned = await insertActivity(db, t.tenantId, {
    unitId: branch.id,
    typeId,
    startsAt: soon,
    status: 'planned',
    topic: `学习贯彻会议精神, 交流; 讨论\\总结 ${'长标题'.repeat(20)}`,
    place: '三楼会议室; 东侧',
  });
  const cancelled = await insertActivity(db, t.tenantId, { unitId: branch.id, typeId, startsAt: soon, status: 'cancelled', topic: '取消的活动' });
  const other = await insertActivity(db, t.tenantId, { unitId: branch.id, typeId, startsAt: soon, status: 'planned', topic: '别人的活动' });
  await addParticipant(db, t.tenantId, planned, person);
  await addParticipant(db, t.tenantId, cancelled, person);
  await addParticipant(db, t.tenantId, other, otherPerson);
  ids = { planned, cancelled, other };
});

async function feed(c: Client) {
  const res = await c({ url: '/api/v1/calendar/feed' });
  expect(res.statusCode).toBe(200);
  return res.json() as CalendarFeed;
}

describe('calendar feed', () => {
  it('serves the person’s activities as valid RFC 5545 without a session', async () => {
    const f = await feed(member);
    expect(f.path).toMatch(/^\/api\/v1\/calendar\/[0-9a-f]{64}\.ics$/);
    // the same URL on every call
    expect((await feed(member)).path).toBe(f.path);
    const res = await app.inject({ url: f.path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const text = res.body;
    // CRLF everywhere, folded at 75 octets
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').filter((l) => l !== '');
    for (const l of lines) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');

    const comp = new ICAL.Component(ICAL.parse(text));
    const events = comp.getAllSubcomponents('vevent');
    expect(events).toHaveLength(2);
    for (const e of events) {
      for (const p of ['uid', 'dtstamp', 'dtstart', 'dtend', 'summary']) expect(e.getFirstPropertyValue(p)).toBeTruthy();
      const start = e.getFirstProperty('dtstart');
      expect(start?.toICALString()).toMatch(/^DTSTART:\d{8}T\d{6}Z$/);
    }
    const byUid = new Map(events.map((e) => [String(e.getFirstPropertyValue('uid')), e]));
    const planned = byUid.get(`${ids.planned}@tongxin`);
    expect(String(planned?.getFirstPropertyValue('summary'))).toBe(`主题党日：学习贯彻会议精神, 交流; 讨论\\总结 ${'长标题'.repeat(20)}`);
    expect(String(planned?.getFirstPropertyValue('location'))).toBe('三楼会议室; 东侧');
    // the instants are the activity's own (UTC in the feed; a client shows them in Shanghai time)
    const at = (p: string) => (planned?.getFirstPropertyValue(p) as ICAL.Time).toJSDate().getTime();
    expect(at('dtstart')).toBe(Math.floor(startsAt.getTime() / 1000) * 1000);
    expect(at('dtend') - at('dtstart')).toBe(90 * 60_000);
    expect(text).toContain('三楼会议室\\; 东侧');
    expect(byUid.get(`${ids.cancelled}@tongxin`)?.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(byUid.has(`${ids.other}@tongxin`)).toBe(false);
  });

  it('a reset makes the old URL answer 404; unknown tokens are 404', async () => {
    const before = await feed(member);
    const reset = await member({ method: 'POST', url: '/api/v1/calendar/feed/reset' });
    expect(reset.statusCode).toBe(200);
    const after = reset.json() as CalendarFeed;
    expect(after.path).not.toBe(before.path);
    expect((await app.inject({ url: before.path })).statusCode).toBe(404);
    expect((await app.inject({ url: after.path })).statusCode).toBe(200);
    expect((await feed(member)).path).toBe(after.path);
    expect((await app.inject({ url: `/api/v1/calendar/${'0'.repeat(64)}.ics` })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/calendar/not-a-token' })).statusCode).toBe(404);
    // only the token's hash is stored
    const stored = await db.execute<{ token_hash: string }>(sql`select token_hash from calendar_feeds`);
    for (const r of stored.rows) expect(after.path).not.toContain(r.token_hash);
  });

  it('a user without a person record gets an empty, valid calendar; the feed routes need a session', async () => {
    const f = await feed(noPerson);
    const res = await app.inject({ url: f.path });
    expect(res.statusCode).toBe(200);
    expect(new ICAL.Component(ICAL.parse(res.body)).getAllSubcomponents('vevent')).toHaveLength(0);
    expect((await app.inject({ url: '/api/v1/calendar/feed' })).statusCode).toBe(401);
  });
});
