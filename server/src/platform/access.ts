import type { Permission } from '@tongxin/contracts';
import { AppError } from './errors';

/** Who holds any of these must use a second factor when the tenant's policy requires it. */
export const privilegedPermissions: readonly Permission[] = ['users.manage', 'security.manage', 'audit.read', 'people.reveal', 'people.export', 'unitedfront.export', 'unitedfront.reveal'];

export type Grant = {
  code: string;
  name: string;
  permissions: Permission[];
  scopeUnitId: string;
  scopeUnitName: string;
  /** materialised path of the scope unit ('/root/…/unit/') */
  scopePath: string;
};

/** Who is acting, from where, with which grants. Built once per request by the auth hook. */
export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  personId: string | null;
  tenantId: string;
  mustChangePassword: boolean;
  /** the built-in administrator: only the rename (after the password change) is allowed */
  mustRename: boolean;
  totpEnabled: boolean;
  /** the policy requires a second factor of this user and none is set up: only enrolment is allowed */
  totpEnrolmentRequired: boolean;
  grants: Grant[];
  ip: string | null;
  userAgent: string | null;
};

/**
 * The data scope of a permission: 'all' when one of its grants covers the tenant's root,
 * otherwise the path prefixes of the granted subtrees.
 */
export type Scope = { all: true } | { all: false; paths: string[] };

export function hasPermission(actor: Actor, p: Permission): boolean {
  return actor.grants.some((g) => g.permissions.includes(p));
}

export function scopeOf(actor: Actor, p: Permission): Scope {
  const grants = actor.grants.filter((g) => g.permissions.includes(p));
  if (grants.some((g) => g.scopePath.split('/').filter(Boolean).length === 1)) return { all: true };
  return { all: false, paths: grants.map((g) => g.scopePath) };
}

export function inScope(scope: Scope, unitPath: string): boolean {
  return scope.all || scope.paths.some((p) => unitPath.startsWith(p));
}

export function requirePermission(actor: Actor, p: Permission): Scope {
  if (!hasPermission(actor, p)) throw new AppError('FORBIDDEN');
  return scopeOf(actor, p);
}

export function permissionsOf(actor: Actor): Permission[] {
  return [...new Set(actor.grants.flatMap((g) => g.permissions))];
}
