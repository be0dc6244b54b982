import { createHash, randomBytes } from 'node:crypto';
import type { Me } from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { AppError, fromPgError } from '../../platform/errors';
import { permissionsOf, privilegedPermissions, type Actor } from '../../platform/access';
import { dummyHash, hashPassword, verifyPassword } from '../../platform/passwords';
import { defaultPolicy, passwordExpiry, passwordProblems, policyOf } from '../security/security.service';
import { insertAudit } from '../audit/audit.repo';
import { audit } from '../audit/audit.service';
import * as repo from './auth.repo';
import { inTenant } from '../../platform/db/tenant';
import { checkSecondFactor } from './auth.totp';
import { builtinRoles } from './auth.roles';
import type { Tx } from '../../platform/db/db';

export type RequestOrigin = { ip: string | null; userAgent: string | null };
export type SessionConfig = Pick<Config, 'sessionIdleMs' | 'sessionAbsoluteMs'>;

/** last_seen_at is written at most this often, so reads do not each cost a write */
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(
  db: Db,
  cfg: SessionConfig,
  input: { username: string; password: string; otp?: string | undefined; recoveryCode?: string | undefined },
  origin: RequestOrigin,
): Promise<{ token: string; userId: string }> {
  const key = input.username.trim().toLowerCase();
  const failed = (tenantId: string | null, userId: string | null, reason: string) =>
    insertAudit(db, {
      tenantId,
      actorUserId: userId,
      actorName: input.username.slice(0, 64),
      action: 'auth.login',
      result: 'failed',
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { reason },
    });
  // a locked name is refused before any password check, known or unknown alike
  const lock = await repo.findLoginFailure(db, key);
  if (lock?.lockedUntil && lock.lockedUntil.getTime() > Date.now()) {
    await failed(null, null, 'locked');
    throw new AppError('ACCOUNT_LOCKED');
  }
  const user = await repo.findUserByUsername(db, input.username);
  // verify even for unknown users: the response time must not reveal whether a username exists
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
  if (!user || !ok || !user.active) {
    const policy = user ? await policyOf(db, user.tenantId) : defaultPolicy;
    const locked = await repo.recordLoginFailure(db, key, policy.lockoutThreshold, policy.lockoutMinutes);
    await failed(user?.tenantId ?? null, user?.id ?? null, !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive');
    if (locked) await failed(user?.tenantId ?? null, user?.id ?? null, 'locked_now');
    throw new AppError('INVALID_CREDENTIALS');
  }
  const policy = await policyOf(db, user.tenantId);
  const second = await checkSecondFactor(db, user, input);
  // a right password without the code is no failure: the client asks for the code and retries
  if (second === 'missing') throw new AppError('SECOND_FACTOR_REQUIRED');
  if (second === 'wrong') {
    const locked = await repo.recordLoginFailure(db, key, policy.lockoutThreshold, policy.lockoutMinutes);
    await failed(user.tenantId, user.id, 'wrong_second_factor');
    if (locked) await failed(user.tenantId, user.id, 'locked_now');
    throw new AppError('SECOND_FACTOR_INVALID');
  }
  const expiry = passwordExpiry(user.passwordChangedAt, policy);
  // a session id chosen fresh at every sign-in: an id planted before sign-in is useless
  const token = randomBytes(32).toString('base64url');
  await db.transaction(async (tx) => {
    await repo.clearLoginFailures(tx, key);
    // an expired password is handled like a first sign-in: the session may only change it
    if (expiry && expiry.getTime() <= Date.now() && !user.mustChangePassword) await repo.requirePasswordChange(tx, user.id);
    await repo.insertSession(tx, {
      idHash: hashToken(token),
      tenantId: user.tenantId,
      userId: user.id,
      expiresAt: new Date(Date.now() + cfg.sessionAbsoluteMs),
      ip: origin.ip,
      userAgent: origin.userAgent?.slice(0, 512) ?? null,
    });
    await repo.markLogin(tx, user.id);
    await insertAudit(tx, {
      tenantId: user.tenantId,
      actorUserId: user.id,
      actorName: user.username,
      action: 'auth.login',
      result: 'ok',
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
  return { token, userId: user.id };
}

/** Resolves a cookie token to the acting user, enforcing idle and absolute timeouts. */
export async function resolveSession(db: Db, cfg: SessionConfig, token: string, origin: RequestOrigin): Promise<Actor & { tenantName: string }> {
  const idHash = hashToken(token);
  const s = await repo.findSession(db, idHash);
  if (!s) throw new AppError('UNAUTHENTICATED');
  const now = Date.now();
  if (!s.active || s.expiresAt.getTime() <= now || s.lastSeenAt.getTime() + cfg.sessionIdleMs <= now) {
    await repo.deleteSession(db, idHash);
    throw new AppError('SESSION_EXPIRED');
  }
  if (now - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await repo.touchSession(db, idHash);
  return {
    userId: s.userId,
    username: s.username,
    displayName: s.displayName,
    personId: s.personId,
    tenantId: s.tenantId,
    tenantName: s.tenantName,
    mustChangePassword: s.mustChangePassword,
    mustRename: s.mustRename,
    totpEnabled: s.totpEnabled,
    totpEnrolmentRequired:
      s.totpRequiredByPolicy && !s.totpEnabled && s.grants.some((g) => g.permissions.some((p) => privilegedPermissions.includes(p))),
    grants: s.grants,
    ip: origin.ip,
    userAgent: origin.userAgent,
  };
}

export async function logout(db: Db, actor: Actor, token: string): Promise<void> {
  await inTenant(db, actor.tenantId, async (tx) => {
    await repo.deleteSession(tx, hashToken(token));
    await audit(tx, actor, 'auth.logout', null);
  });
}

export async function changePassword(
  db: Db,
  actor: Actor,
  token: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  // read everything first; the slow hash checks run outside any transaction
  const { user, policy, earlier } = await inTenant(db, actor.tenantId, async (tx) => {
    const u = await repo.findUserById(tx, actor.userId);
    const p = await policyOf(tx, actor.tenantId);
    // the current password counts as one of the last N
    return { user: u, policy: p, earlier: u ? await repo.recentPasswordHashes(tx, u.id, p.passwordHistory - 1) : [] };
  });
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'auth.password.change', { type: 'user', id: user.id }, { reason: 'wrong_current' }, 'failed'));
    throw new AppError('INVALID_CREDENTIALS');
  }
  const problems = passwordProblems(input.newPassword, user.username, policy);
  if (input.newPassword === input.currentPassword) problems.push('sameAsCurrent');
  else {
    for (const h of earlier) {
      if (await verifyPassword(h, input.newPassword)) {
        problems.push(`reused:${policy.passwordHistory}`);
        break;
      }
    }
  }
  if (problems.length > 0) {
    throw new AppError('PASSWORD_POLICY', problems.map((p) => ({ path: 'newPassword', problem: p })));
  }
  const passwordHash = await hashPassword(input.newPassword);
  await inTenant(db, actor.tenantId, async (tx) => {
    await repo.insertPasswordHistory(tx, { tenantId: user.tenantId, userId: user.id, passwordHash: user.passwordHash });
    await repo.setPassword(tx, user.id, passwordHash);
    // a changed password ends every other session of the user
    await repo.deleteOtherSessions(tx, user.id, hashToken(token));
    await audit(tx, actor, 'auth.password.change', { type: 'user', id: user.id });
  });
}

/** The signed-in user as the web app sees them, with the password's expiry under the tenant's policy. */
export async function me(db: Db, actor: Actor & { tenantName: string }): Promise<Me> {
  const [user, policy] = await inTenant(db, actor.tenantId, async (tx) => {
    const u = await repo.findUserById(tx, actor.userId);
    return [u, await policyOf(tx, actor.tenantId)] as const;
  });
  const expiry = user ? passwordExpiry(user.passwordChangedAt, policy) : null;
  const soon = expiry !== null && expiry.getTime() - Date.now() <= policy.passwordWarnDays * 86_400_000;
  return { ...meOf(actor), passwordExpiresAt: expiry?.toISOString() ?? null, passwordExpiringSoon: soon };
}

function meOf(actor: Actor & { tenantName: string }): Omit<Me, 'passwordExpiresAt' | 'passwordExpiringSoon'> {
  return {
    userId: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    personId: actor.personId,
    tenantId: actor.tenantId,
    tenantName: actor.tenantName,
    mustChangePassword: actor.mustChangePassword,
    mustRename: actor.mustRename,
    totpEnabled: actor.totpEnabled,
    totpEnrolmentRequired: actor.totpEnrolmentRequired,
    permissions: permissionsOf(actor),
    roles: actor.grants.map((g) => ({ code: g.code, name: g.name, scopeUnitId: g.scopeUnitId, scopeUnitName: g.scopeUnitName })),
  };
}

/** Creates or refreshes the built-in roles of a tenant; returns their ids by code. */
export async function ensureBuiltinRoles(tx: Tx, tenantId: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const r of builtinRoles) ids.set(r.code, (await repo.upsertRole(tx, { tenantId, ...r })).id);
  return ids;
}

/** The user's live sessions, so they can spot and end one they do not recognise. */
export async function listSessions(db: Db, actor: Actor, token: string) {
  const current = hashToken(token);
  const rows = await inTenant(db, actor.tenantId, (tx) => repo.listUserSessions(tx, actor.userId));
  return {
    items: rows.map((r) => ({
      id: r.idHash,
      createdAt: new Date(r.createdAt).toISOString(),
      lastSeenAt: new Date(r.lastSeenAt).toISOString(),
      ip: r.ip,
      userAgent: r.userAgent,
      current: r.idHash === current,
    })),
  };
}

export async function endSession(db: Db, actor: Actor, idHash: string): Promise<void> {
  await inTenant(db, actor.tenantId, async (tx) => {
    if (!(await repo.deleteUserSession(tx, actor.userId, idHash))) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'auth.session.end', { type: 'session', id: idHash.slice(0, 16) });
  });
}

export async function endOtherSessions(db: Db, actor: Actor, token: string): Promise<void> {
  await inTenant(db, actor.tenantId, async (tx) => {
    await repo.deleteOtherSessions(tx, actor.userId, hashToken(token));
    await audit(tx, actor, 'auth.session.end_others', { type: 'user', id: actor.userId });
  });
}

export async function passwordRules(db: Db, actor: Actor) {
  const p = await inTenant(db, actor.tenantId, (tx) => policyOf(tx, actor.tenantId));
  return { minLength: p.passwordMinLength, minClasses: p.passwordMinClasses, history: p.passwordHistory };
}

/**
 * The built-in administrator takes a personal username (after the forced password change);
 * the well-known name is then free of any account. Sessions stay: they are bound to the id.
 */
export async function renameBuiltinAdmin(db: Db, actor: Actor, username: string): Promise<void> {
  if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  if (!actor.mustRename) throw new AppError('INVALID_STATE', [{ problem: 'notBuiltinAdmin' }]);
  try {
    await inTenant(db, actor.tenantId, async (tx) => {
      if (!(await repo.renameUser(tx, actor.userId, username))) throw new AppError('INVALID_STATE', [{ problem: 'notBuiltinAdmin' }]);
      await audit(tx, actor, 'auth.rename', { type: 'user', id: actor.userId }, { from: actor.username, to: username });
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    const pg = fromPgError(e);
    if (pg?.code === 'DUPLICATE') throw new AppError('DUPLICATE', [{ path: 'username', problem: 'usernameTaken' }]);
    throw e;
  }
}
