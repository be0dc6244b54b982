import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { AppError } from '../errors';
import { hasPermission, type Actor } from '../access';
import { resolveSession } from '../../modules/auth/auth.service';

export const SESSION_COOKIE = 'tx_session';
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'tongxin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What the built-in administrator may still call before taking a personal name: seeing who
 * they are, signing out, the (earlier) password change, and the rename itself.
 */
const BEFORE_RENAME = new Set(['/api/v1/auth/me', '/api/v1/auth/logout', '/api/v1/auth/password', '/api/v1/auth/password-rules', '/api/v1/auth/rename']);

export function originOf(req: FastifyRequest) {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
}

/**
 * authenticate → (CSRF) → authorise, before validation and the handler. Cookies are
 * SameSite=Strict; in addition every unsafe request must carry a custom header, which a
 * cross-site form cannot send and a cross-site fetch cannot send without a CORS preflight
 * that this server never grants.
 */
export function registerAuthHooks(app: FastifyInstance, deps: { db: Db; config: Config }) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (access === undefined) return;
    if (UNSAFE.has(req.method) && req.headers[CSRF_HEADER] !== CSRF_VALUE) throw new AppError('CSRF_REJECTED');
    const token = req.cookies[SESSION_COOKIE];
    if (access === 'public') return;
    if (!token) throw new AppError('UNAUTHENTICATED');
    const actor = await resolveSession(deps.db, deps.config, token, originOf(req));
    req.actor = actor;
    req.sessionToken = token;
    if (actor.mustRename && !BEFORE_RENAME.has(req.routeOptions.url ?? '')) {
      throw new AppError(actor.mustChangePassword ? 'PASSWORD_CHANGE_REQUIRED' : 'ADMIN_RENAME_REQUIRED');
    }
    if (access === 'session') return;
    if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (actor.totpEnrolmentRequired) throw new AppError('TOTP_ENROLMENT_REQUIRED');
    if (!hasPermission(actor, access)) throw new AppError('FORBIDDEN');
  });
}

/** The signed-in actor of a route that declared 'session' or a permission. */
export function actorOf(req: FastifyRequest) {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

/**
 * The same gates as the hook, for a 'session' route whose service then checks one of
 * several permissions itself.
 */
export function assertReady(actor: Actor): void {
  if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  if (actor.mustRename) throw new AppError('ADMIN_RENAME_REQUIRED');
  if (actor.totpEnrolmentRequired) throw new AppError('TOTP_ENROLMENT_REQUIRED');
}
