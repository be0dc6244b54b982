import { and, eq, ne, sql } from 'drizzle-orm';
import type { Permission } from '@tongxin/contracts';
import type { Executor } from '../../platform/db/db';
import { loginFailures, passwordHistory, recoveryCodes, roleGrants, roles, sessions, userTotp, users } from './auth.schema';

export type SessionRow = {
  userId: string;
  tenantId: string;
  tenantName: string;
  lastSeenAt: Date;
  expiresAt: Date;
  username: string;
  displayName: string;
  personId: string | null;
  mustChangePassword: boolean;
  mustRename: boolean;
  active: boolean;
  totpEnabled: boolean;
  totpRequiredByPolicy: boolean;
  grants: { code: string; name: string; permissions: Permission[]; scopeUnitId: string; scopeUnitName: string; scopePath: string }[];
};

/** One round trip: session, user and every grant with its scope path. */
export async function findSession(db: Executor, idHash: string): Promise<SessionRow | undefined> {
  const r = await db.execute<{
    user_id: string;
    tenant_id: string;
    tenant_name: string;
    last_seen_at: Date;
    expires_at: Date;
    username: string;
    display_name: string;
    person_id: string | null;
    must_change_password: boolean;
    must_rename: boolean;
    active: boolean;
    totp_enabled: boolean;
    totp_required: boolean;
    grants: SessionRow['grants'];
  }>(sql`
    select s.user_id, s.tenant_id, t.name as tenant_name, s.last_seen_at, s.expires_at,
           u.username, u.display_name, u.person_id, u.must_change_password, u.must_rename, u.active,
           ut.enabled_at is not null as totp_enabled, coalesce(sp.totp_required, true) as totp_required,
           coalesce(json_agg(json_build_object(
             'code', r.code, 'name', r.name, 'permissions', r.permissions,
             'scopeUnitId', g.scope_unit_id, 'scopeUnitName', ou.name, 'scopePath', ou.path
           )) filter (where r.id is not null), '[]') as grants
      from sessions s
      join users u on u.id = s.user_id
      join tenants t on t.id = s.tenant_id
      left join user_totp ut on ut.user_id = u.id
      left join security_policies sp on sp.tenant_id = s.tenant_id
      left join role_grants g on g.user_id = u.id
      left join roles r on r.id = g.role_id
      left join org_units ou on ou.id = g.scope_unit_id and ou.active
     where s.id_hash = ${idHash}
     group by s.id_hash, u.id, t.id, ut.user_id, sp.tenant_id`);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    userId: row.user_id,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    lastSeenAt: new Date(row.last_seen_at),
    expiresAt: new Date(row.expires_at),
    username: row.username,
    displayName: row.display_name,
    personId: row.person_id,
    mustChangePassword: row.must_change_password,
    mustRename: row.must_rename,
    active: row.active,
    totpEnabled: row.totp_enabled,
    totpRequiredByPolicy: row.totp_required,
    grants: row.grants.filter((g) => g.scopePath !== null),
  };
}

export async function touchSession(db: Executor, idHash: string): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteOtherSessions(db: Executor, userId: string, keepIdHash: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.idHash, keepIdHash)));
}

export async function insertSession(
  db: Executor,
  s: { idHash: string; tenantId: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db.insert(sessions).values(s);
}

export async function findUserByUsername(db: Executor, username: string) {
  const rows = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return rows[0];
}

export async function findUserById(db: Executor, id: string) {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0];
}

export async function setPassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash, mustChangePassword: false, passwordChangedAt: sql`now()`, version: sql`${users.version} + 1` })
    .where(eq(users.id, userId));
}

export async function markLogin(db: Executor, userId: string): Promise<void> {
  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, userId));
}

export async function insertUser(
  db: Executor,
  u: { tenantId: string; username: string; displayName: string; passwordHash: string; personId: string | null; mustChangePassword: boolean; mustRename?: boolean },
) {
  const [row] = await db.insert(users).values(u).returning();
  if (!row) throw new Error('insert users returned nothing');
  return row;
}

export async function upsertRole(db: Executor, r: { tenantId: string; code: string; name: string; permissions: Permission[] }) {
  const [row] = await db
    .insert(roles)
    .values(r)
    .onConflictDoUpdate({ target: [roles.tenantId, roles.code], set: { name: r.name, permissions: r.permissions } })
    .returning();
  if (!row) throw new Error('upsert roles returned nothing');
  return row;
}

export async function insertGrant(db: Executor, g: { tenantId: string; userId: string; roleId: string; scopeUnitId: string }) {
  await db.insert(roleGrants).values(g).onConflictDoNothing();
}

export async function deleteExpiredSessions(db: Executor, idleBefore: Date): Promise<number> {
  const r = await db.delete(sessions).where(sql`${sessions.expiresAt} < now() or ${sessions.lastSeenAt} < ${idleBefore}`);
  return r.rowCount ?? 0;
}

export async function findLoginFailure(db: Executor, usernameKey: string) {
  const rows = await db.select().from(loginFailures).where(eq(loginFailures.usernameKey, usernameKey)).limit(1);
  return rows[0];
}

/**
 * Counts a failed sign-in; failures older than the lockout window start a new count. Returns
 * whether this failure reached the threshold and locked the name.
 */
export async function recordLoginFailure(db: Executor, usernameKey: string, threshold: number, lockMinutes: number): Promise<boolean> {
  const r = await db.execute<{ locked: boolean }>(sql`
    insert into login_failures as f (username_key, failures, last_failed_at, locked_until)
    values (${usernameKey}, 1, now(), case when 1 >= ${threshold} then now() + make_interval(mins => ${lockMinutes}) end)
    on conflict (username_key) do update set
      failures = case when f.last_failed_at < now() - make_interval(mins => ${lockMinutes}) or f.locked_until is not null then 1
                      else f.failures + 1 end,
      last_failed_at = now(),
      locked_until = case
        when (case when f.last_failed_at < now() - make_interval(mins => ${lockMinutes}) or f.locked_until is not null then 1
                   else f.failures + 1 end) >= ${threshold}
        then now() + make_interval(mins => ${lockMinutes}) end
    returning locked_until is not null as locked`);
  return r.rows[0]?.locked ?? false;
}

export async function clearLoginFailures(db: Executor, usernameKey: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.usernameKey, usernameKey));
}

export async function recentPasswordHashes(db: Executor, userId: string, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const rows = await db
    .select({ h: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(sql`${passwordHistory.createdAt} desc`)
    .limit(n);
  return rows.map((r) => r.h);
}

export async function insertPasswordHistory(db: Executor, h: { tenantId: string; userId: string; passwordHash: string }): Promise<void> {
  await db.insert(passwordHistory).values(h);
}

export async function requirePasswordChange(db: Executor, userId: string): Promise<void> {
  await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, userId));
}

export async function findTotp(db: Executor, userId: string) {
  const rows = await db.select().from(userTotp).where(eq(userTotp.userId, userId)).limit(1);
  return rows[0];
}

/** Starts (or restarts) an enrolment; refuses to replace an enabled factor. */
export async function savePendingTotp(db: Executor, t: { userId: string; tenantId: string; secretEnc: string }): Promise<boolean> {
  const r = await db
    .insert(userTotp)
    .values(t)
    .onConflictDoUpdate({ target: userTotp.userId, set: { secretEnc: t.secretEnc, lastTimeStep: 0, createdAt: sql`now()` }, setWhere: sql`${userTotp.enabledAt} is null` })
    .returning({ userId: userTotp.userId });
  return r.length === 1;
}

/**
 * Records the time step of an accepted code, only if it is later than the last one: two
 * requests racing with the same code cannot both win.
 */
export async function acceptTimeStep(db: Executor, userId: string, step: number, enable: boolean): Promise<boolean> {
  const r = await db
    .update(userTotp)
    .set({ lastTimeStep: step, ...(enable ? { enabledAt: sql`now()` } : {}) })
    .where(and(eq(userTotp.userId, userId), sql`${userTotp.lastTimeStep} < ${step}`))
    .returning({ userId: userTotp.userId });
  return r.length === 1;
}

export async function deleteTotp(db: Executor, userId: string): Promise<void> {
  await db.delete(userTotp).where(eq(userTotp.userId, userId));
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

export async function replaceRecoveryCodes(db: Executor, tenantId: string, userId: string, hashes: string[]): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ tenantId, userId, codeHash })));
}

/** Marks a recovery code used; false when it is unknown or was used before. */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string): Promise<boolean> {
  const r = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), sql`${recoveryCodes.usedAt} is null`))
    .returning({ id: recoveryCodes.id });
  return r.length === 1;
}

export async function listUserSessions(db: Executor, userId: string) {
  const r = await db.execute<{ idHash: string; createdAt: Date; lastSeenAt: Date; ip: string | null; userAgent: string | null }>(sql`
    select id_hash as "idHash", created_at as "createdAt", last_seen_at as "lastSeenAt", host(ip) as ip, user_agent as "userAgent"
      from sessions where user_id = ${userId} and expires_at > now() order by last_seen_at desc`);
  return r.rows;
}

export async function deleteUserSession(db: Executor, userId: string, idHash: string): Promise<boolean> {
  const r = await db.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.idHash, idHash))).returning({ id: sessions.idHash });
  return r.length === 1;
}

/** Renames a user who must take a personal name; false when they need not (any more). */
export async function renameUser(db: Executor, userId: string, username: string): Promise<boolean> {
  const r = await db
    .update(users)
    .set({ username, mustRename: false, version: sql`${users.version} + 1` })
    .where(and(eq(users.id, userId), eq(users.mustRename, true)))
    .returning({ id: users.id });
  return r.length === 1;
}
