import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { decrypt, encrypt, sha256Hex } from '../../platform/crypto';
import { verifyPassword } from '../../platform/passwords';
import { privilegedPermissions, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { policyOf } from '../security/security.service';
import * as repo from './auth.repo';

const ISSUER = '同心';
/** one step either side: phones whose clocks drift by up to 30 s still work */
const TOLERANCE_SECONDS = 30;
const RECOVERY_CODES = 10;

/** Normalised so users may type them with or without the dash and in either case. */
const normaliseRecoveryCode = (code: string) => code.replace(/[^0-9a-z]/gi, '').toLowerCase();

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => {
    const hex = randomBytes(5).toString('hex');
    return `${hex.slice(0, 5)}-${hex.slice(5)}`;
  });
}

/** Checks a code against the stored secret; returns the matched time step, or null. */
async function matchStep(secretEnc: string, code: string, afterStep: number): Promise<number | null> {
  const r = await verify({ secret: decrypt(secretEnc), token: code, epochTolerance: TOLERANCE_SECONDS, afterTimeStep: afterStep });
  // the package's verify also covers HOTP, whose result has no time step
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

export async function setupTotp(db: Db, actor: Actor): Promise<{ secret: string; otpauthUri: string }> {
  const secret = generateSecret();
  return inTenant(db, actor.tenantId, async (tx) => {
    if (!(await repo.savePendingTotp(tx, { userId: actor.userId, tenantId: actor.tenantId, secretEnc: encrypt(secret) }))) {
      throw new AppError('CONFLICT', [{ problem: 'a second factor is already set up' }]);
    }
    await audit(tx, actor, 'auth.totp.setup', { type: 'user', id: actor.userId });
    return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: actor.username, secret }) };
  });
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
export async function enableTotp(db: Db, actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const t = await repo.findTotp(tx, actor.userId);
    if (!t || t.enabledAt) throw new AppError('CONFLICT', [{ problem: t ? 'already enabled' : 'no enrolment started' }]);
    const step = await matchStep(t.secretEnc, code, t.lastTimeStep);
    if (step === null || !(await repo.acceptTimeStep(tx, actor.userId, step, true))) throw new AppError('SECOND_FACTOR_INVALID');
    const codes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(tx, actor.tenantId, actor.userId, codes.map((c) => sha256Hex(normaliseRecoveryCode(c))));
    await audit(tx, actor, 'auth.totp.enable', { type: 'user', id: actor.userId });
    return { recoveryCodes: codes };
  });
}

async function confirmPassword(db: Db, actor: Actor, password: string) {
  const user = await inTenant(db, actor.tenantId, (tx) => repo.findUserById(tx, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS');
}

export async function disableTotp(db: Db, actor: Actor, password: string): Promise<void> {
  await confirmPassword(db, actor, password);
  const policy = await inTenant(db, actor.tenantId, (tx) => policyOf(tx, actor.tenantId));
  if (policy.totpRequired && requiresTotp(actor)) throw new AppError('CONFLICT', [{ problem: 'the security policy requires a second factor for this account' }]);
  await inTenant(db, actor.tenantId, async (tx) => {
    await repo.deleteTotp(tx, actor.userId);
    await audit(tx, actor, 'auth.totp.disable', { type: 'user', id: actor.userId });
  });
}

export async function regenerateRecoveryCodes(db: Db, actor: Actor, password: string): Promise<{ recoveryCodes: string[] }> {
  await confirmPassword(db, actor, password);
  return inTenant(db, actor.tenantId, async (tx) => {
    const t = await repo.findTotp(tx, actor.userId);
    if (!t?.enabledAt) throw new AppError('CONFLICT', [{ problem: 'no second factor is set up' }]);
    const codes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(tx, actor.tenantId, actor.userId, codes.map((c) => sha256Hex(normaliseRecoveryCode(c))));
    await audit(tx, actor, 'auth.totp.recovery_codes', { type: 'user', id: actor.userId });
    return { recoveryCodes: codes };
  });
}

function requiresTotp(actor: Actor): boolean {
  return actor.grants.some((g) => g.permissions.some((p) => privilegedPermissions.includes(p)));
}

/**
 * The second step of sign-in, after a correct password. 'none' when the user has no
 * enabled factor; otherwise the code or a recovery code must match.
 */
export async function checkSecondFactor(
  db: Db,
  user: { id: string; tenantId: string },
  input: { otp?: string | undefined; recoveryCode?: string | undefined },
): Promise<'none' | 'ok' | 'missing' | 'wrong'> {
  return inTenant(db, user.tenantId, async (tx) => {
    const t = await repo.findTotp(tx, user.id);
    if (!t?.enabledAt) return 'none';
    if (input.otp) {
      const step = await matchStep(t.secretEnc, input.otp, t.lastTimeStep);
      return step !== null && (await repo.acceptTimeStep(tx, user.id, step, false)) ? 'ok' : 'wrong';
    }
    if (input.recoveryCode) {
      return (await repo.useRecoveryCode(tx, user.id, sha256Hex(normaliseRecoveryCode(input.recoveryCode)))) ? 'ok' : 'wrong';
    }
    return 'missing';
  });
}
