import type { AppNotification, NotificationListQuery } from '@tongxin/contracts';
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
