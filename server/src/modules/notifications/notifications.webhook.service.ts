import { createHmac } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { WebhookConfig } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import type { NotificationChannel } from './notifications.channels';
import { findForDelivery } from './notifications.repo';
import { startQueuedChannel, type DeliveryJob, type DeliveryOutcome } from './notifications.queue.service';

/** The pg-boss queue of webhook deliveries: one job per notification, retried with backoff. */
export const WEBHOOK_QUEUE = 'notification-webhook';
export const SIGNATURE_HEADER = 'x-tongxin-signature';

/** What the receiver gets (documented in docs/operations.md; keep them in step). */
export type WebhookPayload = {
  event: 'notification.created';
  deliveryId: string;
  sentAt: string;
  tenant: { id: string; code: string };
  recipient: { userId: string; username: string; displayName: string };
  notification: { id: string; kind: string; title: string; body: string | null; link: string | null; createdAt: string };
};

/** `sha256=` and the hex HMAC-SHA256 of the exact body bytes under the shared secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Posts one notification to the configured URL: JSON body, signature header over the body,
 * a timeout, no redirects followed (the signature and body go only where configured).
 * Throws on a network error, a timeout or a non-2xx answer, so pg-boss retries the job.
 */
export async function deliverWebhook(db: Db, cfg: WebhookConfig, job: DeliveryJob, now = new Date()): Promise<DeliveryOutcome> {
  const n = await inTenant(db, job.tenantId, (tx) => findForDelivery(tx, job.tenantId, job.notificationId));
  // not (yet) committed: throw, so a retry looks again; after the last one it is given up
  if (!n) throw new Error(`notification ${job.notificationId} not found`);
  if (!n.userActive) return { status: 'skipped', reason: 'recipient deactivated' };
  const payload: WebhookPayload = {
    event: 'notification.created',
    deliveryId: n.id,
    sentAt: now.toISOString(),
    tenant: { id: n.tenantId, code: n.tenantCode },
    recipient: { userId: n.userId, username: n.username, displayName: n.displayName },
    notification: { id: n.id, kind: n.kind, title: n.title, body: n.body, link: n.link, createdAt: n.createdAt.toISOString() },
  };
  const body = JSON.stringify(payload);
  const res = await fetch(cfg.url, {
    method: 'POST',
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(cfg.timeoutMs),
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Tongxin-Webhook/1',
      [SIGNATURE_HEADER]: signBody(cfg.secret, body),
      'x-tongxin-event': payload.event,
      'x-tongxin-delivery': n.id,
    },
  });
  // the answer's body is not needed; drop it so the connection is released
  await res.body?.cancel();
  if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
  return { status: 'sent', detail: `HTTP ${res.status}` };
}

/** Start-up: the webhook channel over its queue, to register with setExtraChannels. */
export function startWebhookChannel(
  boss: PgBoss,
  db: Db,
  cfg: WebhookConfig,
  log: (message: string) => void,
  opts: { pollingIntervalSeconds?: number } = {},
): Promise<NotificationChannel> {
  return startQueuedChannel(boss, {
    name: 'webhook',
    queue: WEBHOOK_QUEUE,
    retryLimit: cfg.retryLimit,
    retryDelaySeconds: cfg.retryDelaySeconds,
    timeoutMs: cfg.timeoutMs,
    deliver: (job) => deliverWebhook(db, cfg, job),
    log,
    ...opts,
  });
}
