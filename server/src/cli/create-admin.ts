import { ensureTenantDefaults } from '../commands/tenant-defaults.command';
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../platform/db/db';
import { hashPassword } from '../platform/passwords';
import { orgUnits, tenants } from '../modules/org/org.schema';
import { insertUnit } from '../modules/org/org.repo';
import { findUserByUsername, insertGrant, insertUser } from '../modules/auth/auth.repo';
import { ensureBuiltinRoles } from '../modules/auth/auth.service';
import { insertAudit } from '../modules/audit/audit.repo';
import { builtinRoles } from '../modules/auth/auth.roles';
import { defaultPolicy, generatePassword, passwordProblems, policyOf } from '../modules/security/security.service';
import { isReservedUsername } from '@tongxin/contracts';

/** The users table's CHECK (users_username_check), tested here first for a readable message. */
export const USERNAME_RE = /^[A-Za-z0-9_.-]{3,32}$/;
const TENANT_CODE_RE = /^[A-Za-z0-9_.-]{2,32}$/;

export type CreateAdminInput = {
  tenantCode: string;
  /** Required when the tenant does not exist yet; also names its root department unit. */
  tenantName?: string | undefined;
  username: string;
  displayName?: string | undefined;
  /** Omitted: a random one is generated and returned. */
  password?: string | undefined;
  /** A built-in role code; sys_admin unless given (the security and audit administrators are separate accounts). */
  role?: string | undefined;
};

export type CreateAdminResult = {
  tenantId: string;
  tenantName: string;
  tenantCreated: boolean;
  roleCode: string;
  roleName: string;
  rootUnitName: string;
  userId: string;
  username: string;
  password: string;
  passwordGenerated: boolean;
};

/** A mistake in the operator's input: printed as is, without a stack trace. */
export class CreateAdminError extends Error {
  override name = 'CreateAdminError';
}

/**
 * The first administrator of a department, who then manages everyone else in the app: a
 * sys_admin (or another built-in role) over the tenant's root unit, who must change the
 * password at first sign-in. Creates the tenant and its root unit when the code is new.
 */
export async function createAdmin(db: Db, input: CreateAdminInput): Promise<CreateAdminResult> {
  const username = input.username.trim();
  if (!USERNAME_RE.test(username)) {
    throw new CreateAdminError(`Invalid username "${input.username}": use 3 to 32 letters, digits, "_", "." or "-".`);
  }
  if (!TENANT_CODE_RE.test(input.tenantCode)) {
    throw new CreateAdminError(`Invalid tenant code "${input.tenantCode}": use 2 to 32 letters, digits, "_", "." or "-".`);
  }
  const tenantName = input.tenantName?.trim();
  if (tenantName !== undefined && (tenantName.length < 1 || tenantName.length > 100)) {
    throw new CreateAdminError('The tenant name must have 1 to 100 characters.');
  }
  const roleCode = input.role ?? 'sys_admin';
  const role = builtinRoles.find((r) => r.code === roleCode);
  if (!role) throw new CreateAdminError(`Unknown role "${roleCode}": use one of ${builtinRoles.map((r) => r.code).join(', ')}.`);
  const [existing] = await db.select().from(tenants).where(eq(tenants.code, input.tenantCode)).limit(1);
  // the tenant's own password policy when it has one; generated passwords satisfy any policy
  const policy = existing ? await policyOf(db, existing.id) : defaultPolicy;
  const passwordGenerated = input.password === undefined;
  const password = input.password ?? generatePassword(username);
  const problems = passwordProblems(password, username, policy);
  if (problems.length > 0) {
    throw new CreateAdminError(
      `The password does not meet the password policy (${problems.join(', ')}): at least ${policy.passwordMinLength} characters, ` +
        `${policy.passwordMinClasses} of lower case, upper case, digits and symbols, not containing the username.`,
    );
  }
  // fails fast before the slow hash; the unique index below is what actually decides
  if (await findUserByUsername(db, username)) throw duplicate(username);
  const passwordHash = await hashPassword(password);

  try {
    return await db.transaction(async (tx) => {
      let tenantCreated = false;
      let [tenant] = await tx.select().from(tenants).where(eq(tenants.code, input.tenantCode)).limit(1);
      if (!tenant) {
        if (!tenantName) throw new CreateAdminError(`There is no tenant "${input.tenantCode}": give its name with --name to create it.`);
        [tenant] = await tx.insert(tenants).values({ code: input.tenantCode, name: tenantName }).returning();
        if (!tenant) throw new Error('insert tenants returned nothing');
        tenantCreated = true;
      }
      const tenantId = tenant.id;
      let [root] = await tx
        .select()
        .from(orgUnits)
        .where(and(eq(orgUnits.tenantId, tenantId), isNull(orgUnits.parentId)))
        .limit(1);
      if (!root) {
        const id = randomUUID();
        root = await insertUnit(tx, { id, tenantId, parentId: null, type: 'department', name: tenant.name.slice(0, 100), sortOrder: 0, path: `/${id}/` });
      }
      await ensureTenantDefaults(tx, tenantId);
    const roleIds = await ensureBuiltinRoles(tx, tenantId);
      const roleId = roleIds.get(role.code);
      if (!roleId) throw new Error(`built-in role ${role.code} is missing`);
      const user = await insertUser(tx, {
        tenantId,
        username,
        displayName: input.displayName?.trim() || username,
        passwordHash,
        personId: null,
        mustChangePassword: true,
        // a well-known name (admin, root, …) marks the built-in administrator: renamed at first sign-in
        mustRename: isReservedUsername(username),
      });
      await insertGrant(tx, { tenantId, userId: user.id, roleId, scopeUnitId: root.id });
      // no signed-in actor: the operator at the server's console did it
      await insertAudit(tx, {
        tenantId,
        actorUserId: null,
        actorName: 'cli',
        action: 'auth.user.create',
        targetType: 'user',
        targetId: user.id,
        result: 'ok',
        details: { via: 'create-admin', username, role: role.code, scopeUnitId: root.id, tenantCreated },
      });
      return {
        tenantId,
        tenantName: tenant.name,
        tenantCreated,
        roleCode: role.code,
        roleName: role.name,
        rootUnitName: root.name,
        userId: user.id,
        username,
        password,
        passwordGenerated,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e, 'users_username_idx')) throw duplicate(username);
    throw e;
  }
}

const duplicate = (username: string) =>
  new CreateAdminError(`A user named "${username}" already exists (usernames are unique across tenants, ignoring case). Choose another username.`);

function isUniqueViolation(e: unknown, constraint: string): boolean {
  // drizzle wraps the driver's error; the PostgreSQL fields are on the cause
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const pgErr = c as Error & { code?: string; constraint?: string };
    if (pgErr.code === '23505' && pgErr.constraint === constraint) return true;
  }
  return false;
}

export { generatePassword };
