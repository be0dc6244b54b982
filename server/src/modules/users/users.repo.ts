import { and, eq, sql } from 'drizzle-orm';
import type { Permission } from '@tongxin/contracts';
import type { Executor } from '../../platform/db/db';
import { likeContains } from '../../platform/db/like';
import { roleGrants, roles, sessions, users } from '../auth/auth.schema';

export type UserListRow = {
  id: string;
  username: string;
  displayName: string;
  personId: string | null;
  personName: string | null;
  active: boolean;
  lockedUntil: Date | null;
  mustChangePassword: boolean;
  mustRename: boolean;
  totpEnabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  version: number;
  grants: { roleId: string; roleCode: string; roleName: string; scopeUnitId: string; scopeUnitName: string }[];
};

/** Users with their grants, linked person, second factor and lockout state in one statement. */
function listSql(tenantId: string, where: ReturnType<typeof sql>) {
  return sql`
    select u.id, u.username, u.display_name as "displayName", u.person_id as "personId", p.name as "personName", u.active,
           case when lf.locked_until > now() then lf.locked_until end as "lockedUntil",
           u.must_change_password as "mustChangePassword", u.must_rename as "mustRename",
           (ut.enabled_at is not null) as "totpEnabled", u.last_login_at as "lastLoginAt", u.created_at as "createdAt", u.version,
           coalesce((select json_agg(json_build_object('roleId', r.id, 'roleCode', r.code, 'roleName', r.name,
                                                       'scopeUnitId', g.scope_unit_id, 'scopeUnitName', ou.name)
                                     order by r.code, ou.path)
                       from role_grants g join roles r on r.id = g.role_id join org_units ou on ou.id = g.scope_unit_id
                      where g.user_id = u.id), '[]') as grants,
           count(*) over ()::int as total
      from users u
      left join people p on p.id = u.person_id
      left join user_totp ut on ut.user_id = u.id
      left join login_failures lf on lf.username_key = lower(u.username)
     where u.tenant_id = ${tenantId} ${where}`;
}

export async function listUsers(db: Executor, tenantId: string, q: string | undefined, page: number, pageSize: number) {
  const where = q ? sql`and (u.username ilike ${likeContains(q)} or u.display_name ilike ${likeContains(q)})` : sql``;
  const r = await db.execute<UserListRow & { total: number }>(
    sql`${listSql(tenantId, where)} order by u.active desc, lower(u.username) limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function findUserRow(db: Executor, tenantId: string, id: string): Promise<UserListRow | undefined> {
  const r = await db.execute<UserListRow>(listSql(tenantId, sql`and u.id = ${id}`));
  return r.rows[0];
}

/** The user row locked for this transaction, so version checks and grant checks see one state. */
export async function lockUser(db: Executor, tenantId: string, id: string) {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
    .for('update')
    .limit(1);
  return rows[0];
}

export async function bumpVersion(db: Executor, id: string, version: number, set: Partial<typeof users.$inferInsert> = {}): Promise<boolean> {
  const r = await db
    .update(users)
    .set({ ...set, version: sql`${users.version} + 1` })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .returning({ id: users.id });
  return r.length === 1;
}

export async function deleteAllSessions(db: Executor, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function clearLoginFailures(db: Executor, username: string): Promise<boolean> {
  const r = await db.execute(sql`delete from login_failures where username_key = lower(${username})`);
  return (r.rowCount ?? 0) > 0;
}

export async function listRoles(db: Executor, tenantId: string) {
  return db
    .select({ id: roles.id, code: roles.code, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(eq(roles.tenantId, tenantId))
    .orderBy(roles.code) as Promise<{ id: string; code: string; name: string; permissions: Permission[] }[]>;
}

export async function findRole(db: Executor, tenantId: string, id: string) {
  const rows = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.id, id)))
    .limit(1);
  return rows[0];
}

/** Codes of the roles a user holds (any scope). */
export async function roleCodesOf(db: Executor, userId: string): Promise<string[]> {
  const r = await db.execute<{ code: string }>(sql`select distinct r.code from role_grants g join roles r on r.id = g.role_id where g.user_id = ${userId}`);
  return r.rows.map((x) => x.code);
}

export async function insertGrant(db: Executor, g: { tenantId: string; userId: string; roleId: string; scopeUnitId: string }): Promise<boolean> {
  const r = await db.insert(roleGrants).values(g).onConflictDoNothing().returning({ userId: roleGrants.userId });
  return r.length === 1;
}

export async function deleteGrant(db: Executor, g: { userId: string; roleId: string; scopeUnitId: string }): Promise<boolean> {
  const r = await db
    .delete(roleGrants)
    .where(and(eq(roleGrants.userId, g.userId), eq(roleGrants.roleId, g.roleId), eq(roleGrants.scopeUnitId, g.scopeUnitId)))
    .returning({ userId: roleGrants.userId });
  return r.length === 1;
}

export async function findPersonName(db: Executor, tenantId: string, personId: string): Promise<string | undefined> {
  const r = await db.execute<{ name: string }>(sql`select name from people where tenant_id = ${tenantId} and id = ${personId}`);
  return r.rows[0]?.name;
}
