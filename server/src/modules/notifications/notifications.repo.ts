import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { notifications } from './notifications.schema';

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationInsert = typeof notifications.$inferInsert;

export async function listForUser(db: Executor, tenantId: string, userId: string, unread: boolean | undefined, page: number, pageSize: number) {
  const where = and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), unread === true ? isNull(notifications.readAt) : undefined);
  const rows = await db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [t] = await db.select({ n: count() }).from(notifications).where(where);
  return { rows, total: t?.n ?? 0 };
}

export async function unreadCount(db: Executor, tenantId: string, userId: string): Promise<number> {
  const [t] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return t?.n ?? 0;
}

/** Marks one of the user's notifications read; another user's id matches nothing. */
export async function markRead(db: Executor, tenantId: string, userId: string, id: string): Promise<boolean> {
  const r = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), eq(notifications.id, id)))
    .returning({ id: notifications.id });
  return r.length > 0;
}

export async function markAllRead(db: Executor, tenantId: string, userId: string): Promise<number> {
  const r = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return r.length;
}

/** Inserts in one statement; a row whose (user, dedupe key) exists is skipped. Returns the rows inserted. */
export async function insertNotifications(db: Executor, rows: NotificationInsert[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  return db.insert(notifications).values(rows).onConflictDoNothing().returning();
}

/** Every tenant, for jobs that run outside any request (as the owner, before entering each tenant). */
export async function listTenantIds(db: Executor): Promise<string[]> {
  const r = await db.execute<{ id: string }>(sql`select id from tenants order by id`);
  return r.rows.map((x) => x.id);
}

export type UpcomingParticipant = { activityId: string; topic: string; place: string | null; startsAt: Date; userId: string };

/** Expected participants with an active user account, of activities starting in [from, to) and not cancelled. */
export async function participantsStartingBetween(db: Executor, tenantId: string, from: Date, to: Date): Promise<UpcomingParticipant[]> {
  const r = await db.execute<{ activity_id: string; topic: string; place: string | null; starts_at: Date; user_id: string }>(sql`
    select a.id as activity_id, a.topic, a.place, a.starts_at, u.id as user_id
      from activities a
      join activity_participants ap on ap.activity_id = a.id
      join users u on u.person_id = ap.person_id and u.active and u.tenant_id = a.tenant_id
     where a.tenant_id = ${tenantId} and a.status <> 'cancelled'
       and a.starts_at >= ${from.toISOString()}::timestamptz and a.starts_at < ${to.toISOString()}::timestamptz`);
  return r.rows.map((x) => ({ activityId: x.activity_id, topic: x.topic, place: x.place, startsAt: new Date(x.starts_at), userId: x.user_id }));
}
