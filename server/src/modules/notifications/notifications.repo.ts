import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { notificationSettings, notifications } from './notifications.schema';

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

export type OverdueRiskReview = { riskId: string; duty: string; risk: string; officeName: string; reviewDueOn: string; userId: string };

/**
 * Integrity risk points whose review date is before `today` (a Shanghai date), with each
 * active user account of the point's owner. Points whose owner has no account are left
 * out: there is nobody to tell in the app.
 */
export async function overdueRiskReviews(db: Executor, tenantId: string, today: string): Promise<OverdueRiskReview[]> {
  const r = await db.execute<{ risk_id: string; duty: string; risk: string; office_name: string; review_due_on: string; user_id: string }>(sql`
    select r.id as risk_id, r.duty, r.risk, o.name as office_name, r.review_due_on::text as review_due_on, u.id as user_id
      from integrity_risks r
      join org_units o on o.id = r.office_id
      join users u on u.person_id = r.owner_person_id and u.active and u.tenant_id = r.tenant_id
     where r.tenant_id = ${tenantId} and r.review_due_on < ${today}::date
     order by r.review_due_on, r.id`);
  return r.rows.map((x) => ({ riskId: x.risk_id, duty: x.duty, risk: x.risk, officeName: x.office_name, reviewDueOn: x.review_due_on, userId: x.user_id }));
}

/** `email` is the recipient's address only when they turned email on. */
export type NotificationForDelivery = NotificationRow & { tenantCode: string; username: string; displayName: string; userActive: boolean; email: string | null };

/** One stored notification with what a channel needs to address it; undefined when it does not exist (or was never committed). */
export async function findForDelivery(db: Executor, tenantId: string, id: string): Promise<NotificationForDelivery | undefined> {
  const r = await db.execute<{
    id: string; tenant_id: string; user_id: string; kind: string; title: string; body: string | null; link: string | null;
    dedupe_key: string | null; read_at: Date | null; created_at: Date; tenant_code: string; username: string; display_name: string; user_active: boolean;
    email: string | null;
  }>(sql`
    select n.id, n.tenant_id, n.user_id, n.kind, n.title, n.body, n.link, n.dedupe_key, n.read_at, n.created_at,
           t.code as tenant_code, u.username, u.display_name, u.active as user_active, case when s.email_enabled then s.email end as email
      from notifications n join tenants t on t.id = n.tenant_id join users u on u.id = n.user_id
      left join notification_settings s on s.user_id = n.user_id
     where n.tenant_id = ${tenantId} and n.id = ${id}`);
  const x = r.rows[0];
  if (!x) return undefined;
  return {
    id: x.id,
    tenantId: x.tenant_id,
    userId: x.user_id,
    kind: x.kind,
    title: x.title,
    body: x.body,
    link: x.link,
    dedupeKey: x.dedupe_key,
    readAt: x.read_at ? new Date(x.read_at) : null,
    createdAt: new Date(x.created_at),
    tenantCode: x.tenant_code,
    username: x.username,
    displayName: x.display_name,
    userActive: x.user_active,
    email: x.email,
  };
}

export async function findSettings(db: Executor, tenantId: string, userId: string) {
  const [r] = await db
    .select({ email: notificationSettings.email, emailEnabled: notificationSettings.emailEnabled })
    .from(notificationSettings)
    .where(and(eq(notificationSettings.tenantId, tenantId), eq(notificationSettings.userId, userId)));
  return r;
}

export async function upsertSettings(db: Executor, tenantId: string, userId: string, s: { email: string | null; emailEnabled: boolean }): Promise<void> {
  await db
    .insert(notificationSettings)
    .values({ tenantId, userId, ...s })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: { ...s, updatedAt: sql`now()` } });
}
