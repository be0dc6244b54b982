import { sql } from 'drizzle-orm';
import { auditLog } from './audit.schema';
import type { Executor } from '../../platform/db/db';
import { likePrefix } from '../../platform/db/like';
import type { TenantRunner } from '../../platform/db/tenant';

export type AuditEntry = {
  tenantId: string | null;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  result: 'ok' | 'denied' | 'failed';
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown> | null;
};

export async function insertAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: e.tenantId,
    actorUserId: e.actorUserId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    result: e.result,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    details: e.details ?? null,
  });
}

export type ChainBreak = { id: number; tenantId: string | null; reason: 'hash_mismatch' | 'prev_link_broken' };

/**
 * Recomputes every chain in one pass (the same hash function the insert trigger uses) and
 * returns the first broken entry of each chain, with how many entries were checked.
 */
export async function verifyAuditChains(db: Executor, tenantId?: string): Promise<{ checked: number; breaks: ChainBreak[] }> {
  const only = tenantId ? sql`where a.tenant_id = ${tenantId}` : sql``;
  const r = await db.execute<{ id: number; tenant_id: string | null; reason: ChainBreak['reason'] | null; checked: number }>(sql`
    with walked as (
      select a.id, a.tenant_id,
             case
               -- the first entry left after an archive links to the archive's anchor
               when a.prev_hash is distinct from coalesce(lag(a.hash) over w, (
                 select x.last_hash from audit_anchors x
                  where x.tenant_id is not distinct from a.tenant_id and x.through_id < a.id
                  order by x.through_id desc limit 1)) then 'prev_link_broken'
               when a.hash is distinct from audit_hash(a.prev_hash, a) then 'hash_mismatch'
             end as reason
        from audit_log a
        ${only}
      window w as (partition by coalesce(a.tenant_id::text, '') order by a.id)
    ), firsts as (
      select distinct on (coalesce(tenant_id::text, '')) id, tenant_id, reason
        from walked where reason is not null
       order by coalesce(tenant_id::text, ''), id
    )
    select f.id::int as id, f.tenant_id, f.reason, (select count(*)::int from walked) as checked
      from (select 1) one left join firsts f on true
     order by f.id`);
  const checked = r.rows[0]?.checked ?? 0;
  return {
    checked,
    breaks: r.rows.filter((x) => x.reason !== null).map((x) => ({ id: Number(x.id), tenantId: x.tenant_id, reason: x.reason as ChainBreak['reason'] })),
  };
}

export type AuditRow = {
  id: number;
  at: Date;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: 'ok' | 'denied' | 'failed';
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
};

export type AuditFilter = {
  tenantId: string;
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  result?: string | undefined;
  targetId?: string | undefined;
};

function auditWhere(f: AuditFilter) {
  const conds = [sql`tenant_id = ${f.tenantId}`];
  if (f.from) conds.push(sql`at >= ${f.from}::timestamptz`);
  if (f.to) conds.push(sql`at < ${f.to}::timestamptz`);
  if (f.actor) conds.push(sql`lower(actor_name) = lower(${f.actor})`);
  if (f.action) conds.push(sql`action like ${likePrefix(f.action)}`);
  if (f.result) conds.push(sql`result = ${f.result}`);
  if (f.targetId) conds.push(sql`target_id = ${f.targetId}`);
  return sql.join(conds, sql` and `);
}

const auditColumns = sql`id::int as id, at, actor_name as "actorName", action, target_type as "targetType", target_id as "targetId",
  result, host(ip) as ip, user_agent as "userAgent", details`;

/** Newest first; one statement for the page and the total. */
export async function searchAudit(db: Executor, f: AuditFilter, page: number, pageSize: number) {
  const r = await db.execute<AuditRow & { total: number }>(sql`
    select ${auditColumns}, count(*) over ()::int as total from audit_log
     where ${auditWhere(f)} order by id desc limit ${pageSize} offset ${(page - 1) * pageSize}`);
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function countAudit(db: Executor, f: AuditFilter): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where ${auditWhere(f)}`);
  return r.rows[0]?.n ?? 0;
}

/** Newest first in batches, keyset on id, for exports. */
export async function* iterateAudit(run: TenantRunner, f: AuditFilter, batch = 2000): AsyncGenerator<AuditRow[]> {
  let before: number | undefined;
  for (;;) {
    const keyset = before === undefined ? sql`` : sql`and id < ${before}`;
    const r = await run((ex) => ex.execute<AuditRow>(sql`select ${auditColumns} from audit_log where ${auditWhere(f)} ${keyset} order by id desc limit ${batch}`));
    const last = r.rows[r.rows.length - 1];
    if (!last) return;
    yield r.rows;
    if (r.rows.length < batch) return;
    before = last.id;
  }
}

// ---- archive (run by the owner role from the CLI: the app role may not delete entries) ----

export type ArchiveChain = { tenantId: string | null; prevHash: string | null; count: number; firstId: number; lastId: number; lastHash: string };

/**
 * Each chain's prefix of entries older than `before`: the entries up to (not including) the
 * chain's first newer entry, so what is archived is always a contiguous start of the chain.
 * No lock is taken, so the app keeps writing: entries are only ever appended (ids are drawn
 * under the chain's lock and committed in order), and an entry appended meanwhile links to
 * the last archived one, which is exactly the anchor's hash the verifier then expects.
 */
export async function archivableChains(db: Executor, before: Date): Promise<ArchiveChain[]> {
  const candidates = await db.execute<{ tenant_id: string | null; bound: number }>(sql`
    select tenant_id, coalesce(min(id) filter (where at >= ${before}), max(id) + 1)::bigint as bound
      from audit_log group by tenant_id
    having count(*) filter (where at < ${before}) > 0`);
  const out: ArchiveChain[] = [];
  for (const c of candidates.rows) {
    const r = await db.execute<{ count: number; first_id: number; last_id: number; last_hash: string; prev_hash: string | null }>(sql`
      select count(*)::int as count, min(id)::bigint as first_id, max(id)::bigint as last_id,
             (select hash from audit_log where tenant_id is not distinct from ${c.tenant_id} and id < ${c.bound} order by id desc limit 1) as last_hash,
             (select prev_hash from audit_log where tenant_id is not distinct from ${c.tenant_id} order by id limit 1) as prev_hash
        from audit_log where tenant_id is not distinct from ${c.tenant_id} and id < ${c.bound}`);
    const row = r.rows[0];
    if (!row || row.count === 0) continue;
    out.push({ tenantId: c.tenant_id, prevHash: row.prev_hash, count: row.count, firstId: Number(row.first_id), lastId: Number(row.last_id), lastHash: row.last_hash });
  }
  return out;
}

export type ArchivedEntry = {
  id: number;
  tenantId: string | null;
  at: string;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
  prevHash: string | null;
  hash: string;
  /** exactly what the chain hashed (audit_entry_text), so the file verifies without a database */
  text: string;
};

export async function* iterateChain(db: Executor, chain: ArchiveChain, batch = 5000): AsyncGenerator<ArchivedEntry[]> {
  let after = chain.firstId - 1;
  for (;;) {
    const r = await db.execute<ArchivedEntry>(sql`
      select id::bigint as id, tenant_id as "tenantId", to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
             actor_user_id as "actorUserId", actor_name as "actorName", action, target_type as "targetType", target_id as "targetId",
             result, ip::text as ip, user_agent as "userAgent", details, prev_hash as "prevHash", hash, audit_entry_text(a) as text
        from audit_log a
       where tenant_id is not distinct from ${chain.tenantId} and id > ${after} and id <= ${chain.lastId}
       order by id limit ${batch}`);
    const last = r.rows[r.rows.length - 1];
    if (!last) return;
    yield r.rows.map((x) => ({ ...x, id: Number(x.id) }));
    after = Number(last.id);
  }
}

/** Removes an archived prefix and records where the chain continues, in the caller's transaction. */
export async function removeArchived(db: Executor, chain: ArchiveChain, file: { name: string; sha256: string }, before: Date): Promise<void> {
  const r = await db.execute(sql`delete from audit_log where tenant_id is not distinct from ${chain.tenantId} and id <= ${chain.lastId}`);
  if ((r.rowCount ?? 0) !== chain.count) throw new Error(`archive: expected to remove ${chain.count} entries, removed ${r.rowCount}`);
  await db.execute(sql`
    insert into audit_anchors (tenant_id, through_id, last_hash, entry_count, file_name, file_sha256, archived_before)
    values (${chain.tenantId}, ${chain.lastId}, ${chain.lastHash}, ${chain.count}, ${file.name}, ${file.sha256}, ${before})`);
}

/** The archives a chain continues from, oldest first. */
export async function listAnchors(db: Executor, tenantId: string) {
  const r = await db.execute<{ entries: number; before: Date; archivedAt: Date; fileName: string; fileSha256: string }>(sql`
    select entry_count as entries, archived_before as before, created_at as "archivedAt", file_name as "fileName", file_sha256 as "fileSha256"
      from audit_anchors where tenant_id = ${tenantId} order by through_id`);
  return r.rows.map((x) => ({ ...x, before: new Date(x.before).toISOString(), archivedAt: new Date(x.archivedAt).toISOString() }));
}
