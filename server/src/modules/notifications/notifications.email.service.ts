import type PgBoss from 'pg-boss';
import { createTransport, type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import type { NotificationChannel } from './notifications.channels';
import { findForDelivery } from './notifications.repo';
import { startQueuedChannel, type DeliveryJob, type DeliveryOutcome } from './notifications.queue.service';

/** The pg-boss queue of emails: one job per notification, retried with backoff. */
export const EMAIL_QUEUE = 'notification-email';

/** An SMTP transport with the configured timeouts; one per process (it pools nothing, a connection per mail). */
export function smtpTransport(cfg: SmtpConfig): Transporter {
  return createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
    connectionTimeout: cfg.timeoutMs,
    greetingTimeout: cfg.timeoutMs,
    socketTimeout: cfg.timeoutMs,
  });
}

/**
 * Mails one notification to its recipient, if they gave an address and turned email on.
 * Plain text only (nothing of the title or body is ever read as HTML). The Message-ID is
 * derived from the notification, so a mail server or client can spot a retried duplicate.
 * Throws on an SMTP failure, so pg-boss retries the job.
 */
export async function deliverEmail(db: Db, transport: Transporter, cfg: SmtpConfig, job: DeliveryJob): Promise<DeliveryOutcome> {
  const n = await inTenant(db, job.tenantId, (tx) => findForDelivery(tx, job.tenantId, job.notificationId));
  if (!n) throw new Error(`notification ${job.notificationId} not found`);
  if (!n.userActive) return { status: 'skipped', reason: 'recipient deactivated' };
  if (!n.email) return { status: 'skipped', reason: 'no email address turned on' };
  const link = n.link ? (cfg.publicUrl ? new URL(n.link, cfg.publicUrl).toString() : n.link) : null;
  const text = [`${n.displayName}：`, '', n.title, ...(n.body ? [n.body] : []), ...(link ? ['', `查看：${link}`] : []), '', '—— 同心工作平台（系统邮件，请勿回复）'].join('\n');
  const info = (await transport.sendMail({
    from: cfg.from,
    to: n.email,
    subject: `【同心】${n.title}`,
    text,
    messageId: `<${n.id}@tongxin.notifications>`,
    headers: { 'X-Tongxin-Notification': n.id, 'Auto-Submitted': 'auto-generated' },
  })) as { accepted?: unknown[]; response?: string };
  return { status: 'sent', detail: info.response ?? 'sent' };
}

/** Start-up: the email channel over its queue, to register with setExtraChannels. */
export function startEmailChannel(
  boss: PgBoss,
  db: Db,
  cfg: SmtpConfig,
  log: (message: string) => void,
  opts: { pollingIntervalSeconds?: number; transport?: Transporter } = {},
): Promise<NotificationChannel> {
  const transport = opts.transport ?? smtpTransport(cfg);
  return startQueuedChannel(boss, {
    name: 'email',
    queue: EMAIL_QUEUE,
    retryLimit: cfg.retryLimit,
    retryDelaySeconds: cfg.retryDelaySeconds,
    timeoutMs: cfg.timeoutMs,
    deliver: (job) => deliverEmail(db, transport, cfg, job),
    log,
    ...(opts.pollingIntervalSeconds ? { pollingIntervalSeconds: opts.pollingIntervalSeconds } : {}),
  });
}
