import type { AppNotification, NotificationListQuery, NotificationSettings, NotificationSettingsInput } from '@tongxin/contracts';
import { audit } from '../audit/audit.service';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import type { Actor } from '../../platform/access';
import * as repo from './notifications.repo';

function toNotification(r: repo.NotificationRow): AppNotification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    readAt: r.readAt ? r.readAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Each user sees and marks only their own notifications. */
export async function listMine(db: Db, actor: Actor, q: NotificationListQuery) {
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listForUser(tx, actor.tenantId, actor.userId, q.unread, q.page, q.pageSize);
    return { items: rows.map(toNotification), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function unreadCount(db: Db, actor: Actor): Promise<number> {
  return inTenant(db, actor.tenantId, (tx) => repo.unreadCount(tx, actor.tenantId, actor.userId));
}

export async function markRead(db: Db, actor: Actor, id: string): Promise<void> {
  const ok = await inTenant(db, actor.tenantId, (tx) => repo.markRead(tx, actor.tenantId, actor.userId, id));
  if (!ok) throw new AppError('NOT_FOUND');
}

export async function markAllRead(db: Db, actor: Actor): Promise<number> {
  return inTenant(db, actor.tenantId, (tx) => repo.markAllRead(tx, actor.tenantId, actor.userId));
}

/** The user's own channel settings; `emailAvailable` says whether the installation sends email at all. */
export async function getSettings(db: Db, actor: Actor, emailAvailable: boolean): Promise<NotificationSettings> {
  const s = await inTenant(db, actor.tenantId, (tx) => repo.findSettings(tx, actor.tenantId, actor.userId));
  return { email: s?.email ?? null, emailEnabled: s?.emailEnabled ?? false, emailAvailable };
}

/** Each user sets only their own; email cannot be turned on where no SMTP server is configured. */
export async function putSettings(db: Db, actor: Actor, input: NotificationSettingsInput, emailAvailable: boolean): Promise<NotificationSettings> {
  if (input.emailEnabled && !emailAvailable) throw new AppError('INVALID_STATE', [{ path: 'emailEnabled', problem: 'email is not configured on this installation' }]);
  await inTenant(db, actor.tenantId, async (tx) => {
    await repo.upsertSettings(tx, actor.tenantId, actor.userId, input);
    // the address itself stays out of the trail: only whether one is set and used
    await audit(tx, actor, 'notifications.settings', { type: 'user', id: actor.userId }, { emailSet: input.email !== null, emailEnabled: input.emailEnabled });
  });
  return getSettings(db, actor, emailAvailable);
}
