import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig, type WebhookConfig } from '../../platform/config';
import { startJobs } from '../../platform/jobs/jobs';
import { buildTenant, buildUser, testApp, type TenantFixture } from '../../test/harness';
import { notify, setExtraChannels } from './notifications.channels';
import type { NotificationRow } from './notifications.repo';
import { deliverWebhook, signBody, startWebhookChannel, type WebhookPayload } from './notifications.webhook.service';

const { db } = await testApp();
const SECRET = 'test-secret-0123456789abcdef0123456789';

type Received = { url: string; headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
/** How the receiver answers a request, by the notification's title; default 200. */
let answer: (payload: WebhookPayload, attempt: number) => number | 'hang' | 'redirect' = () => 200;
let server: Server;
let base: string;

let t: TenantFixture;
let userId: string;
let username: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ url: req.url ?? '', headers: req.headers, body });
      const payload = JSON.parse(body) as WebhookPayload;
      const attempt = received.filter((r) => (JSON.parse(r.body) as WebhookPayload).deliveryId === payload.deliveryId).length;
      const a = answer(payload, attempt);
      if (a === 'hang') return; // never answers: the sender's timeout must fire
      if (a === 'redirect') {
        res.writeHead(302, { location: `${base}/elsewhere` }).end();
        return;
      }
      res.writeHead(a, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await buildTenant(db);
  username = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read'] });
  userId = (await db.execute<{ id: string }>(sql`select id from users where username = ${username}`)).rows[0]?.id as string;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const cfg = (o: Partial<WebhookConfig> = {}): WebhookConfig => ({ url: `${base}/hook?x=1`, secret: SECRET, timeoutMs: 2_000, retryLimit: 1, retryDelaySeconds: 1, ...o });

async function store(title: string, channels: Parameters<typeof notify>[2] = []): Promise<NotificationRow> {
  const [n] = await db.transaction((tx) => notify(tx, [{ tenantId: t.tenantId, userId, kind: 'duty.due', title, body: '已完成 0/1', link: '/duties' }], channels));
  if (!n) throw new Error('not stored');
  return n;
}

const inApp = async (id: string) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where id = ${id}`)).rows[0]?.n;

describe('webhook channel', () => {
  it('posts the notification as JSON with an HMAC-SHA256 signature of the exact body', async () => {
    answer = () => 204;
    const n = await store('第一党支部本月主题党日尚未完成');
    const out = await deliverWebhook(db, cfg(), { tenantId: t.tenantId, notificationId: n.id }, new Date('2026-06-26T00:00:00Z'));
    expect(out).toEqual({ status: 'sent', detail: 'HTTP 204' });
    const r = received.at(-1) as Received;
    expect(r.url).toBe('/hook?x=1');
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['x-tongxin-delivery']).toBe(n.id);
    expect(r.headers['x-tongxin-event']).toBe('notification.created');
    // the receiver's check, written independently of signBody
    const expected = `sha256=${createHmac('sha256', SECRET).update(Buffer.from(r.body, 'utf8')).digest('hex')}`;
    expect(r.headers['x-tongxin-signature']).toBe(expected);
    expect(signBody('another secret of at least 32 chars!!', r.body)).not.toBe(expected);
    const tenantCode = (await db.execute<{ code: string }>(sql`select code from tenants where id = ${t.tenantId}`)).rows[0]?.code;
    expect(JSON.parse(r.body)).toEqual({
      event: 'notification.created',
      deliveryId: n.id,
      sentAt: '2026-06-26T00:00:00.000Z',
      tenant: { id: t.tenantId, code: tenantCode },
      recipient: { userId, username, displayName: username },
      notification: { id: n.id, kind: 'duty.due', title: '第一党支部本月主题党日尚未完成', body: '已完成 0/1', link: '/duties', createdAt: n.createdAt.toISOString() },
    });
  });

  it('throws (so the queue retries) on an error status, a timeout, a redirect, a refused connection or an unknown notification', async () => {
    const n = await store('失败的投递');
    const job = { tenantId: t.tenantId, notificationId: n.id };
    answer = () => 500;
    await expect(deliverWebhook(db, cfg(), job)).rejects.toThrow('HTTP 500');
    answer = () => 'redirect';
    const before = received.length;
    await expect(deliverWebhook(db, cfg(), job)).rejects.toThrow('HTTP 302');
    expect(received.length).toBe(before + 1); // the redirect was not followed
    answer = () => 'hang';
    await expect(deliverWebhook(db, cfg({ timeoutMs: 200 }), job)).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(deliverWebhook(db, cfg({ url: 'http://127.0.0.1:1/' }), job)).rejects.toThrow('fetch failed');
    await expect(deliverWebhook(db, cfg(), { tenantId: t.tenantId, notificationId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow('not found');
    // whatever the webhook did, the in-app notification is there
    expect(await inApp(n.id)).toBe(1);
  });

  it('delivers through pg-boss, retrying a failure, logging each failed attempt and giving up after the limit', async () => {
    const url = db.$client.options.connectionString as string;
    const logs: string[] = [];
    const jobs = await startJobs(db, url, [], () => undefined);
    try {
      const channel = await startWebhookChannel(jobs.boss, db, cfg({ retryLimit: 1 }), (m) => logs.push(m), { pollingIntervalSeconds: 0.5 });
      // the first notification fails once (503) then goes through; the second always fails
      answer = (p, attempt) => (p.notification.title === '重试后成功' ? (attempt === 1 ? 503 : 200) : 500);
      const ok = await store('重试后成功', [channel]);
      const bad = await store('一直失败', [channel]);
      const attemptsOf = (id: string) => received.filter((r) => r.headers['x-tongxin-delivery'] === id).length;
      const until = Date.now() + 20_000;
      while ((attemptsOf(ok.id) < 2 || !logs.some((l) => l.includes('given up'))) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(attemptsOf(ok.id)).toBe(2);
      expect(attemptsOf(bad.id)).toBe(2);
      expect(logs).toContain(`webhook: notification ${ok.id} attempt 1/2 failed: HTTP 503; will retry`);
      expect(logs).toContain(`webhook: notification ${bad.id} attempt 2/2 failed: HTTP 500; given up`);
      expect(logs.filter((l) => l.includes(ok.id))).toHaveLength(1);
      // handing the same notification over again queues nothing (the job id is the notification id)
      await channel.deliver([ok]);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(attemptsOf(ok.id)).toBe(2);
      // both stay in the app
      expect(await inApp(ok.id)).toBe(1);
      expect(await inApp(bad.id)).toBe(1);
    } finally {
      await jobs.stop();
    }
  }, 40_000);

  it('keeps the in-app notification when the channel cannot even take it', async () => {
    const logged: string[] = [];
    setExtraChannels([], (m) => logged.push(m));
    const broken = { name: 'broken', deliver: () => Promise.reject(new Error('queue down')) };
    const n = await store('通道故障', [broken]);
    expect(await inApp(n.id)).toBe(1);
    expect(logged).toEqual([`notifications: channel broken could not take 1 notification(s) (${n.id}…): queue down`]);
  });

  it('is configured from the environment: off without a URL, a secret required with one', () => {
    expect(loadConfig({}).webhook).toBeNull();
    expect(loadConfig({ WEBHOOK_URL: '', WEBHOOK_SECRET: '' }).webhook).toBeNull();
    expect(loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/tongxin', WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: '3000' }).webhook).toEqual({
      url: 'https://hooks.example.org/tongxin',
      secret: SECRET,
      timeoutMs: 3000,
      retryLimit: 5,
      retryDelaySeconds: 30,
    });
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/tongxin' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example.org/tongxin', WEBHOOK_SECRET: 'short' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ WEBHOOK_URL: 'ftp://hooks.example.org/', WEBHOOK_SECRET: SECRET })).toThrow(/WEBHOOK_URL/);
  });
});
