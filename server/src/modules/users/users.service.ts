import { adminRoleCodes, type CreateUserRequest, type GrantRequest, type UserSummary, type UsersListQuery } from '@tongxin/contracts';
import type { Db, Tx } from '../../platform/db/db';
import { AppError, fromPgError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { hasPermission, inScope, requirePermission, type Actor } from '../../platform/access';
import { assertReady } from '../../platform/http/auth.hooks';
import { hashPassword } from '../../platform/passwords';
import { audit } from '../audit/audit.service';
import { findUnit, listUnits as listOrgUnits } from '../org/org.repo';
import { toOrgUnit } from '../org/org.service';
import { generatePassword, passwordProblems, policyOf } from '../security/security.service';
import { insertPasswordHistory, insertUser } from '../auth/auth.repo';
import * as repo from './users.repo';

/**
 * Accounts and their roles, split per 三权分立: the system administrator (users.manage)
 * creates, deactivates, resets and unlocks accounts; the security administrator
 * (security.manage) grants and revokes roles. Nobody changes their own roles or account.
 */

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toSummary(r: repo.UserListRow): UserSummary {
  return {
    ...r,
    lockedUntil: iso(r.lockedUntil),
    lastLoginAt: iso(r.lastLoginAt),
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** Either administrator reads the accounts: one to manage them, the other to grant roles. */
function requireUsersOrSecurity(actor: Actor): void {
  assertReady(actor);
  if (!hasPermission(actor, 'users.manage') && !hasPermission(actor, 'security.manage')) throw new AppError('FORBIDDEN');
}

export async function listUsers(db: Db, actor: Actor, q: UsersListQuery) {
  requireUsersOrSecurity(actor);
  const { rows, total } = await inTenant(db, actor.tenantId, (tx) => repo.listUsers(tx, actor.tenantId, q.q, q.page, q.pageSize));
  return { items: rows.map(toSummary), total, page: q.page, pageSize: q.pageSize };
}

export async function listRoles(db: Db, actor: Actor) {
  requireUsersOrSecurity(actor);
  return { items: await inTenant(db, actor.tenantId, (tx) => repo.listRoles(tx, actor.tenantId)) };
}

/**
 * The active units a role can be granted on: the security administrator has no org.read, yet
 * picks a grant's scope from the tree (its shape is not confidential; see org.service).
 */
export async function grantableUnits(db: Db, actor: Actor) {
  requireUsersOrSecurity(actor);
  const rows = await inTenant(db, actor.tenantId, (tx) => listOrgUnits(tx, actor.tenantId, false));
  return { items: rows.map(toOrgUnit) };
}

async function summaryOf(tx: Tx, tenantId: string, id: string): Promise<UserSummary> {
  const row = await repo.findUserRow(tx, tenantId, id);
  if (!row) throw new AppError('INTERNAL');
  return toSummary(row);
}

/** The initial password: typed ones must meet the tenant's policy; omitted ones are generated. */
async function initialPassword(db: Db, tenantId: string, username: string, typed: string | undefined) {
  if (typed === undefined) return { password: generatePassword(username), generated: true };
  const policy = await inTenant(db, tenantId, (tx) => policyOf(tx, tenantId));
  const problems = passwordProblems(typed, username, policy);
  if (problems.length > 0) throw new AppError('PASSWORD_POLICY', problems.map((p) => ({ path: 'password', problem: p })));
  return { password: typed, generated: false };
}

function duplicateUsername(e: unknown): never {
  const pg = fromPgError(e);
  if (pg?.code === 'DUPLICATE') {
    const problem = pg.details?.[0]?.problem === 'users_person_idx' ? 'personHasAccount' : 'usernameTaken';
    throw new AppError('DUPLICATE', [{ path: problem === 'personHasAccount' ? 'personId' : 'username', problem }]);
  }
  throw e;
}

export async function createUser(db: Db, actor: Actor, input: CreateUserRequest) {
  requirePermission(actor, 'users.manage');
  const { password, generated } = await initialPassword(db, actor.tenantId, input.username, input.password);
  const passwordHash = await hashPassword(password);
  try {
    const user = await inTenant(db, actor.tenantId, async (tx) => {
      if (input.personId && !(await repo.findPersonName(tx, actor.tenantId, input.personId))) {
        throw new AppError('VALIDATION_FAILED', [{ path: 'personId', problem: 'unknown person' }]);
      }
      const row = await insertUser(tx, {
        tenantId: actor.tenantId,
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        personId: input.personId ?? null,
        mustChangePassword: true,
      });
      await audit(tx, actor, 'users.create', { type: 'user', id: row.id }, { username: row.username, personId: row.personId, generatedPassword: generated });
      return summaryOf(tx, actor.tenantId, row.id);
    });
    return { user, initialPassword: generated ? password : null };
  } catch (e) {
    if (e instanceof AppError) throw e;
    return duplicateUsername(e);
  }
}

/** Loads the target in the actor's tenant (404 otherwise), checks its version and self-service. */
async function target(tx: Tx, actor: Actor, id: string, version: number, selfProblem: string) {
  const user = await repo.lockUser(tx, actor.tenantId, id);
  if (!user) throw new AppError('NOT_FOUND');
  if (user.id === actor.userId) throw new AppError('FORBIDDEN', [{ problem: selfProblem }]);
  if (user.version !== version) throw new AppError('STALE_VERSION');
  return user;
}

export async function setActive(db: Db, actor: Actor, id: string, version: number, active: boolean) {
  requirePermission(actor, 'users.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    await target(tx, actor, id, version, 'selfDeactivate');
    if (!(await repo.bumpVersion(tx, id, version, { active }))) throw new AppError('STALE_VERSION');
    // a deactivated account is out at once, not at its sessions' expiry
    if (!active) await repo.deleteAllSessions(tx, id);
    await audit(tx, actor, active ? 'users.reactivate' : 'users.deactivate', { type: 'user', id });
    return summaryOf(tx, actor.tenantId, id);
  });
}

export async function resetPassword(db: Db, actor: Actor, id: string, input: { version: number; password?: string | undefined }) {
  requirePermission(actor, 'users.manage');
  // the policy check and the slow hash run before the write transaction
  const found = await inTenant(db, actor.tenantId, (tx) => repo.findUserRow(tx, actor.tenantId, id));
  if (!found) throw new AppError('NOT_FOUND');
  const { password, generated } = await initialPassword(db, actor.tenantId, found.username, input.password);
  const passwordHash = await hashPassword(password);
  const user = await inTenant(db, actor.tenantId, async (tx) => {
    const before = await target(tx, actor, id, input.version, 'selfReset');
    if (!(await repo.bumpVersion(tx, id, input.version, { passwordHash, mustChangePassword: true, passwordChangedAt: new Date() }))) {
      throw new AppError('STALE_VERSION');
    }
    await insertPasswordHistory(tx, { tenantId: actor.tenantId, userId: id, passwordHash: before.passwordHash });
    // whoever held the old password is signed out everywhere
    await repo.deleteAllSessions(tx, id);
    await audit(tx, actor, 'users.reset_password', { type: 'user', id }, { generatedPassword: generated });
    return summaryOf(tx, actor.tenantId, id);
  });
  return { user, initialPassword: generated ? password : null };
}

export async function unlock(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'users.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    const user = await repo.lockUser(tx, actor.tenantId, id);
    if (!user) throw new AppError('NOT_FOUND');
    const cleared = await repo.clearLoginFailures(tx, user.username);
    await audit(tx, actor, 'users.unlock', { type: 'user', id }, { cleared });
    return summaryOf(tx, actor.tenantId, id);
  });
}

const isAdminRole = (code: string) => (adminRoleCodes as readonly string[]).includes(code);

export async function grant(db: Db, actor: Actor, id: string, input: GrantRequest) {
  const scope = requirePermission(actor, 'security.manage');
  try {
    return await inTenant(db, actor.tenantId, async (tx) => {
      await target(tx, actor, id, input.version, 'selfRoleChange');
      const role = await repo.findRole(tx, actor.tenantId, input.roleId);
      if (!role) throw new AppError('VALIDATION_FAILED', [{ path: 'roleId', problem: 'unknown role' }]);
      const unit = await findUnit(tx, actor.tenantId, input.scopeUnitId);
      if (!unit || !unit.active) throw new AppError('VALIDATION_FAILED', [{ path: 'scopeUnitId', problem: 'unknown unit' }]);
      if (!inScope(scope, unit.path)) throw new AppError('FORBIDDEN', [{ path: 'scopeUnitId', problem: 'outOfScope' }]);
      if (isAdminRole(role.code)) {
        const other = (await repo.roleCodesOf(tx, id)).filter((c) => isAdminRole(c) && c !== role.code);
        if (other.length > 0) throw new AppError('CONFLICT', [{ path: 'roleId', problem: 'adminRolesExclusive' }]);
      }
      if (!(await repo.insertGrant(tx, { tenantId: actor.tenantId, userId: id, roleId: role.id, scopeUnitId: unit.id }))) {
        throw new AppError('DUPLICATE', [{ path: 'roleId', problem: 'alreadyGranted' }]);
      }
      if (!(await repo.bumpVersion(tx, id, input.version))) throw new AppError('STALE_VERSION');
      await audit(tx, actor, 'users.grant', { type: 'user', id }, { role: role.code, scopeUnitId: unit.id, scopeUnitName: unit.name });
      return summaryOf(tx, actor.tenantId, id);
    });
  } catch (e) {
    // the database's own guard (migration 0009), for a race the check above cannot see
    if (!(e instanceof AppError) && fromPgError(e)?.details?.[0]?.problem === 'role_grants_admin_exclusive') {
      throw new AppError('CONFLICT', [{ path: 'roleId', problem: 'adminRolesExclusive' }]);
    }
    throw e;
  }
}

export async function revoke(db: Db, actor: Actor, id: string, input: GrantRequest) {
  requirePermission(actor, 'security.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    await target(tx, actor, id, input.version, 'selfRoleChange');
    const role = await repo.findRole(tx, actor.tenantId, input.roleId);
    if (!role) throw new AppError('VALIDATION_FAILED', [{ path: 'roleId', problem: 'unknown role' }]);
    if (!(await repo.deleteGrant(tx, { userId: id, roleId: role.id, scopeUnitId: input.scopeUnitId }))) throw new AppError('NOT_FOUND', [{ problem: 'noSuchGrant' }]);
    if (!(await repo.bumpVersion(tx, id, input.version))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'users.revoke', { type: 'user', id }, { role: role.code, scopeUnitId: input.scopeUnitId });
    return summaryOf(tx, actor.tenantId, id);
  });
}
