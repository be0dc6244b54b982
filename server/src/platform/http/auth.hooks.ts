import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { AppError } from '../errors';
import { hasPermission } from '../access';
import { resolveSession } from '../../modules/auth/auth.service';

export const SESSION_COOKIE = 'tx_session';
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'tongxin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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
