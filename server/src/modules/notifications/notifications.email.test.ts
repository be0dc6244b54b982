import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import type { NotificationSettings } from '@tongxin/contracts';
import type { SmtpConfig } from '../../platform/config';
import { startJobs } from '../../platform/jobs/jobs';
import { buildTenant, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { actorFor } from '../duties/duties.fixtures';
import { notify } from './notifications.channels';
import { deliverEmail, smtpTransport, startEmailChannel } from './notifications.email.service';
import { putSettings } from './notifications.service';

type Mail = { from: string; to: string[]; raw: string };
const mails: Mail[] = [];
/** Refuse the next N recipients with a temporary error (the sender must retry). */
let refuseNext = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(_address, _session, cb) {
    if (refuseNext > 0) {
      refuseNext -= 1;
      const err = Object.assign(new Error('try again later'), { responseCode: 451 });
      return cb(err);
    }
    cb();
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
      cb();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const port = (smtp.server.address() as AddressInfo).port;
const cfg: SmtpConfig = {
  host: '127.0.0.1',
  port,
  secure: false,
  user: undefined,
  password: undefined,
  from: '同心平台 <noreply@tongxin.test>',
  timeoutMs: 2_000,
  publicUrl: 'https://tongxin.example.org',
  retryLimit: 1,
  retryDelaySeconds: 1,
};
const { app, db } = await testApp({ smtp: cfg });

/** The message body, whatever transfer encoding nodemailer chose for non-ASCII text. */
function bodyOf(raw: string): string {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}
/** The Subject header, decoding RFC 2047 words. */
function subjectOf(raw: string): string {
  const m = /^Subject: ((?:.*)(?:\r\n[ \t].*)*)/im.exec(raw);
  const v = (m?.[1] ?? '').replace(/\r\n[ \t]/g, ' ');
  return v.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_w, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
  );
}

let t: TenantFixture;
let alice: Client, bob: Client;
let aliceId: string, bobId: string;

async function idOf(username: string) {
  return (await db.execute<{ id: string }>(sql`select id from users where username = ${username}`)).rows[0]?.id as string;
}

beforeAll(async () => {
  t = await buildTenant(db);
  const a = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read'] });
  const b = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read'] });
  aliceId = await idOf(a);
  bobId = await idOf(b);
  alice = await signIn(app, a);
  bob = await signIn(app, b);
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function store(userId: string, title: string, channels: Parameters<typeof notify>[2] = []) {
  const [n] = await db.transaction((tx) => notify(tx, [{ tenantId: t.tenantId, userId, kind: 'duty.due', title, body: '已完成 0/1，截止 2026/6/30', link: '/duties?year=2026' }], channels));
  if (!n) throw new Error('not stored');
  return n;
}

describe('email settings', () => {
  it('each user sets their own address; bad input is refused and changes nothing', async () => {
    expect((await alice({ url: '/api/v1/notifications/settings' })).json()).toEqual({ email: null, emailEnabled: false, emailAvailable: true });
    for (const payload of [{ email: 'not-an-address', emailEnabled: true }, { email: null, emailEnabled: true }, { email: 'a@b.cn', emailEnabled: true, userId: bobId }]) {
      const res = await alice({ method: 'PUT', url: '/api/v1/notifications/settings', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await alice({ url: '/api/v1/notifications/settings' })).json()).toMatchObject({ email: null, emailEnabled: false });
    const ok = await alice({ method: 'PUT', url: '/api/v1/notifications/settings', payload: { email: ' alice@dept.example.cn ', emailEnabled: true } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ email: 'alice@dept.example.cn', emailEnabled: true, emailAvailable: true });
    // Bob sees his own (none), not Alice's
    expect((await bob({ url: '/api/v1/notifications/settings' })).json<NotificationSettings>().email).toBeNull();
    // the trail says a setting changed, not the address
    const trail = await db.execute<{ details: unknown }>(sql`select details from audit_log where action = 'notifications.settings' and actor_user_id = ${aliceId}`);
    expect(trail.rows).toEqual([{ details: { emailSet: true, emailEnabled: true } }]);
    // an installation without SMTP cannot turn email on
    await expect(putSettings(db, actorFor(t.tenantId, t.root, [], bobId), { email: 'bob@dept.example.cn', emailEnabled: true }, false)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('email channel (SMTP)', () => {
  it('mails the notification in plain text to a user who turned email on, and skips one who did not', async () => {
    const transport = smtpTransport(cfg);
    const n = await store(aliceId, '第一党支部本月主题党日尚未完成');
    expect(await deliverEmail(db, transport, cfg, { tenantId: t.tenantId, notificationId: n.id })).toMatchObject({ status: 'sent' });
    const mail = mails.at(-1) as Mail;
    expect(mail.from).toBe('noreply@tongxin.test');
    expect(mail.to).toEqual(['alice@dept.example.cn']);
    expect(subjectOf(mail.raw)).toBe('【同心】第一党支部本月主题党日尚未完成');
    expect(mail.raw).toMatch(new RegExp(`^Message-ID: <${n.id}@tongxin.notifications>`, 'im'));
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/im);
    const body = bodyOf(mail.raw);
    expect(body).toContain('已完成 0/1，截止 2026/6/30');
    expect(body).toContain('https://tongxin.example.org/duties?year=2026');

    const before = mails.length;
    const forBob = await store(bobId, '给没有邮箱的人');
    expect(await deliverEmail(db, transport, cfg, { tenantId: t.tenantId, notificationId: forBob.id })).toEqual({ status: 'skipped', reason: 'no email address turned on' });
    expect(mails.length).toBe(before);
  });

  it('goes through pg-boss: a temporary SMTP refusal is logged and retried, then the mail is delivered', async () => {
    const url = db.$client.options.connectionString as string;
    const logs: string[] = [];
    const jobs = await startJobs(db, url, [], () => undefined);
    try {
      const channel = await startEmailChannel(jobs.boss, db, cfg, (m) => logs.push(m), { pollingIntervalSeconds: 0.5 });
      refuseNext = 1;
      const n = await store(aliceId, '重试后送达', [channel]);
      const until = Date.now() + 20_000;
      const delivered = () => mails.some((m) => m.raw.includes(n.id));
      while (!delivered() && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(delivered()).toBe(true);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(new RegExp(`^email: notification ${n.id} attempt 1/2 failed: .*451.*; will retry$`));
      expect((await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where id = ${n.id}`)).rows[0]?.n).toBe(1);
    } finally {
      await jobs.stop();
    }
  }, 40_000);
});
