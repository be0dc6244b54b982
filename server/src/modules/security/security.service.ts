import { randomInt } from 'node:crypto';
import type { SecurityPolicy } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { requirePermission, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import * as repo from './security.repo';

/** Applies before a tenant is known (unknown usernames) and to tenants without a row. */
export const defaultPolicy: SecurityPolicy = {
  passwordMinLength: 10,
  passwordMinClasses: 3,
  passwordHistory: 5,
  passwordMaxAgeDays: 90,
  passwordWarnDays: 7,
  lockoutThreshold: 5,
  lockoutMinutes: 30,
  totpRequired: true,
};

function toPolicy(r: repo.PolicyRow): SecurityPolicy {
  return {
    passwordMinLength: r.passwordMinLength,
    passwordMinClasses: r.passwordMinClasses,
    passwordHistory: r.passwordHistory,
    passwordMaxAgeDays: r.passwordMaxAgeDays,
    passwordWarnDays: r.passwordWarnDays,
    lockoutThreshold: r.lockoutThreshold,
    lockoutMinutes: r.lockoutMinutes,
    totpRequired: r.totpRequired,
  };
}

export async function policyOf(db: Executor, tenantId: string): Promise<SecurityPolicy> {
  const row = await repo.findPolicy(db, tenantId);
  return row ? toPolicy(row) : defaultPolicy;
}

export async function getPolicy(db: Db, actor: Actor): Promise<SecurityPolicy & { version: number }> {
  requirePermission(actor, 'security.manage');
  const row = await inTenant(db, actor.tenantId, (tx) => repo.ensurePolicy(tx, actor.tenantId));
  return { ...toPolicy(row), version: row.version };
}

export async function updatePolicy(
  db: Db,
  actor: Actor,
  input: Omit<SecurityPolicy, 'totpRequired'> & { version: number; totpRequired?: boolean | undefined },
): Promise<SecurityPolicy & { version: number }> {
  requirePermission(actor, 'security.manage');
  const { version, totpRequired, ...rest } = input;
  if (rest.passwordMaxAgeDays > 0 && rest.passwordWarnDays >= rest.passwordMaxAgeDays) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'passwordWarnDays', problem: 'must be shorter than the maximum age' }]);
  }
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.ensurePolicy(tx, actor.tenantId);
    const policy: SecurityPolicy = { ...rest, totpRequired: totpRequired ?? before.totpRequired };
    // whoever requires the second factor holds a privileged permission themselves: without
    // one of their own they would be shut out at their next request
    if (policy.totpRequired && !before.totpRequired && !actor.totpEnabled) {
      throw new AppError('CONFLICT', [{ path: 'totpRequired', problem: 'set up your own second factor first' }]);
    }
    const row = await repo.updatePolicyVersioned(tx, actor.tenantId, version, policy);
    if (!row) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'security.policy.update', { type: 'security_policy', id: actor.tenantId }, { before: toPolicy(before), after: policy });
    return { ...toPolicy(row), version: row.version };
  });
}

/** Problems of a new password under a policy (history is checked by the caller, it needs hashes). */
export function passwordProblems(password: string, username: string, policy: SecurityPolicy): string[] {
  const problems: string[] = [];
  if (password.length < policy.passwordMinLength) problems.push(`minLength:${policy.passwordMinLength}`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < policy.passwordMinClasses) problems.push(`classes:${policy.passwordMinClasses}`);
  if (password.toLowerCase().includes(username.toLowerCase())) problems.push('containsUsername');
  return problems;
}

/** When a password set at `changedAt` expires under the policy; null when passwords never expire. */
export function passwordExpiry(changedAt: Date, policy: SecurityPolicy): Date | null {
  return policy.passwordMaxAgeDays > 0 ? new Date(changedAt.getTime() + policy.passwordMaxAgeDays * 86_400_000) : null;
}

const CLASSES = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '#%+-=@_'];

/**
 * 20 characters, every class present, no look-alikes (l/1, O/0) since it is read off a
 * console and typed once: about 119 bits, beyond any policy's minimum.
 */
export function generatePassword(username: string): string {
  const all = CLASSES.join('');
  for (;;) {
    const chars = CLASSES.map((c) => c[randomInt(c.length)] ?? '');
    while (chars.length < 20) chars.push(all[randomInt(all.length)] ?? '');
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
    }
    const p = chars.join('');
    if (passwordProblems(p, username, defaultPolicy).length === 0) return p;
  }
}
