import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { calendarFeeds } from './calendar.schema';

export type FeedRow = typeof calendarFeeds.$inferSelect;

export async function findFeedOfUser(db: Executor, tenantId: string, userId: string): Promise<FeedRow | undefined> {
  const rows = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tenantId, tenantId), eq(calendarFeeds.userId, userId)));
  return rows[0];
}

/** Creates or replaces the user's feed token (its hash); the old token stops working at once. */
export async function upsertFeed(db: Executor, row: FeedRow): Promise<void> {
  await db
    .insert(calendarFeeds)
    .values(row)
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash: row.tokenHash, createdAt: row.createdAt } });
}

/**
 * Public lookup by token hash, before any tenant is known: runs as the owner, outside
 * row-level security, like the session lookup; returns only what the feed needs.
 */
export async function findFeedByHash(
  db: Executor,
  tokenHash: string,
): Promise<{ userId: string; tenantId: string; personId: string | null; tenantName: string } | undefined> {
  const r = await db.execute<{ user_id: string; tenant_id: string; person_id: string | null; tenant_name: string }>(sql`
    select f.user_id, f.tenant_id, u.person_id, t.name as tenant_name
      from calendar_feeds f
      join users u on u.id = f.user_id and u.active
      join tenants t on t.id = f.tenant_id
     where f.token_hash = ${tokenHash}`);
  const x = r.rows[0];
  return x ? { userId: x.user_id, tenantId: x.tenant_id, personId: x.person_id, tenantName: x.tenant_name } : undefined;
}

export type FeedEvent = {
  id: string;
  topic: string;
  place: string | null;
  content: string | null;
  startsAt: Date;
  endsAt: Date;
  status: string;
  typeNameZh: string;
  unitName: string;
  updatedAt: Date;
};

/** The person's activities (those they are expected at) from `since` on, cancelled ones included. */
export async function activitiesOfPerson(db: Executor, tenantId: string, personId: string, since: Date): Promise<FeedEvent[]> {
  const r = await db.execute<{
    id: string;
    topic: string;
    place: string | null;
    content: string | null;
    starts_at: Date;
    ends_at: Date;
    status: string;
    name_zh: string;
    unit_name: string;
    updated_at: Date;
  }>(sql`
    select a.id, a.topic, a.place, a.content, a.starts_at, a.ends_at, a.status, t.name_zh, ou.name as unit_name, a.updated_at
      from activity_participants ap
      join activities a on a.id = ap.activity_id
      join activity_types t on t.id = a.type_id
      join org_units ou on ou.id = a.unit_id
     where ap.tenant_id = ${tenantId} and ap.person_id = ${personId} and a.starts_at >= ${since.toISOString()}::timestamptz
     order by a.starts_at
     limit 2000`);
  return r.rows.map((x) => ({
    id: x.id,
    topic: x.topic,
    place: x.place,
    content: x.content,
    startsAt: new Date(x.starts_at),
    endsAt: new Date(x.ends_at),
    status: x.status,
    typeNameZh: x.name_zh,
    unitName: x.unit_name,
    updatedAt: new Date(x.updated_at),
  }));
}
