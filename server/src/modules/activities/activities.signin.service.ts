import { createHmac, timingSafeEqual } from 'node:crypto';
import { activityLimits, type SigninInfo } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import type { Actor } from '../../platform/access';
import * as repo from './activities.repo';
import { attendanceChanged, loadManaged, toParticipant } from './activities.service';

const PERIOD = activityLimits.signinPeriodSeconds;

export function windowOf(nowMs: number): number {
  return Math.floor(nowMs / 1000 / PERIOD);
}

function macOf(secret: string, activityId: string, window: number): string {
  // truncated to 10 bytes (80 bits): short enough for a QR code a phone reads at a distance,
  // far too long to guess within the minute a code is accepted
  return createHmac('sha256', Buffer.from(secret, 'hex')).update(`${activityId}:${window}`).digest('base64url').slice(0, 14);
}

/**
 * The code of one 30-second window: the window number and the truncated HMAC of
 * activityId:window under the activity's secret. Carrying the window lets the server tell
 * an expired code from a forged one (or one of another activity) without trying old windows.
 */
export function signinCode(secret: string, activityId: string, nowMs: number): string {
  const w = windowOf(nowMs);
  return `${w}.${macOf(secret, activityId, w)}`;
}

/** 'ok' for the current window and the one before it (a code shown just before it rotated). */
export function checkCode(secret: string, activityId: string, code: string, nowMs: number): 'ok' | 'invalid' | 'expired' {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{14})$/.exec(code);
  if (!m) return 'invalid';
  const w = Number(m[1]);
  const expected = Buffer.from(macOf(secret, activityId, w));
  const given = Buffer.from(m[2] ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  const now = windowOf(nowMs);
  if (w > now) return 'invalid';
  return now - w <= 1 ? 'ok' : 'expired';
}

export async function currentCode(db: Db, actor: Actor, id: string, nowMs = Date.now()) {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.status === 'cancelled' || a.status === 'recorded') throw new AppError('INVALID_STATE', [{ path: 'status', problem: a.status }]);
    const code = signinCode(a.signinSecret, a.id, nowMs);
    return {
      code,
      path: `/m/signin/${a.id}?c=${encodeURIComponent(code)}`,
      rotatesAt: new Date((windowOf(nowMs) + 1) * PERIOD * 1000).toISOString(),
      periodSeconds: PERIOD,
    };
  });
}

/** What the phone page shows before and after signing in; only to a participant or a reader. */
export async function signinInfo(db: Db, actor: Actor, id: string): Promise<SigninInfo> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await repo.findActivity(tx, actor.tenantId, id);
    if (!a) throw new AppError('NOT_FOUND');
    const me = actor.personId ? await repo.findParticipant(tx, id, actor.personId) : undefined;
    if (!me) throw new AppError('NOT_A_PARTICIPANT');
    return {
      id: a.id,
      topic: a.topic,
      typeNameZh: a.typeNameZh,
      typeNameEn: a.typeNameEn,
      unitName: a.unitName,
      place: a.place,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      status: a.status as SigninInfo['status'],
      me: toParticipant(me),
    };
  });
}

/** A member signs themself in with the code shown at the meeting. */
export async function signIn(db: Db, actor: Actor, id: string, code: string, nowMs = Date.now()): Promise<SigninInfo> {
  await inTenant(db, actor.tenantId, async (tx) => {
    const a = await repo.findActivity(tx, actor.tenantId, id, true);
    if (!a) throw new AppError('NOT_FOUND');
    const check = checkCode(a.signinSecret, a.id, code, nowMs);
    if (check === 'invalid') throw new AppError('SIGNIN_CODE_INVALID');
    if (a.status === 'cancelled' || a.status === 'recorded') throw new AppError('INVALID_STATE', [{ path: 'status', problem: a.status }]);
    if (check === 'expired') throw new AppError('SIGNIN_CODE_EXPIRED');
    if (!actor.personId) throw new AppError('NOT_A_PARTICIPANT');
    const me = await repo.findParticipant(tx, id, actor.personId, true);
    if (!me) throw new AppError('NOT_A_PARTICIPANT');
    if (!(await repo.signInByQr(tx, id, actor.personId, actor.userId))) throw new AppError('ALREADY_SIGNED_IN');
    await attendanceChanged(tx, a);
  });
  return signinInfo(db, actor, id);
}
