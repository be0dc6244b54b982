import { createHmac } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { WebhookConfig } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import type { NotificationChannel } from './notifications.channels';
import { findForDelivery } from './notifications.repo';

/** The pg-boss queue of webhook deliveries: one job per notification, retried with backoff. */
export const WEBHOOK_QUEUE = 'notification-webhook';
export const SIGNATURE_HEADER = 'x-tongxin-signature';

export type WebhookJob = { tenantId: string; notificationId: string };

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
 * The channel side: queue a delivery job. It runs in the storing transaction, so the job
 * reads the notification back later (a rolled-back one is never found, so never sent);
 * the job id is the notification id, so handing the same row over twice queues one job.
 */
export function webhookChannel(boss: PgBoss, cfg: WebhookConfig): NotificationChannel {
  return {
    name: 'webhook',
    deliver: async (n) => {
      const job: WebhookJob = { tenantId: n.tenantId, notificationId: n.id };
      await boss.send(WEBHOOK_QUEUE, job, {
        id: n.id,
        // a moment for the storing transaction to commit; if it has not, the retry finds it
        startAfter: 2,
        retryLimit: cfg.retryLimit,
        retryDelay: cfg.retryDelaySeconds,
        retryBackoff: true,
      });
    },
  };
}

export type DeliveryOutcome = { status: 'sent'; httpStatus: number } | { status: 'skipped'; reason: string };

/**
 * Posts one notification to the configured URL: JSON body, signature header over the body,
 * a timeout, no redirects followed (the signature and body go only where configured).
 * Throws on a network error, a timeout or a non-2xx answer, so pg-boss retries the job.
 */
export async function deliverWebhook(db: Db, cfg: WebhookConfig, job: WebhookJob, now = new Date()): Promise<DeliveryOutcome> {
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
  return { status: 'sent', httpStatus: res.status };
}

/**
 * Start-up: creates the queue, works it, and returns the channel to register with
 * setExtraChannels. Every failed attempt is logged with its number; the last one says the
 * delivery is given up. The in-app notification stays whatever happens here.
 */
export async function startWebhookChannel(
  boss: PgBoss,
  db: Db,
  cfg: WebhookConfig,
  log: (message: string) => void,
  opts: { pollingIntervalSeconds?: number } = {},
): Promise<NotificationChannel> {
  await boss.createQueue(WEBHOOK_QUEUE);
  await boss.work<WebhookJob>(WEBHOOK_QUEUE, { includeMetadata: true, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async (jobs) => {
    for (const job of jobs) {
      try {
        const out = await deliverWebhook(db, cfg, job.data);
        if (out.status === 'skipped') log(`webhook: notification ${job.data.notificationId} skipped: ${out.reason}`);
      } catch (e) {
        const last = job.retryCount >= job.retryLimit;
        const why = describeFailure(e, cfg.timeoutMs);
        log(`webhook: notification ${job.data.notificationId} attempt ${job.retryCount + 1}/${job.retryLimit + 1} failed: ${why}${last ? '; given up' : '; will retry'}`);
        throw e;
      }
    }
  });
  return webhookChannel(boss, cfg);
}

/** A log line's reason: fetch reports a refused connection as "fetch failed" with the cause inside. */
function describeFailure(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
}
