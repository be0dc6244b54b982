// Request and response schemas of the users area, shared by the server and the web.
import { z } from 'zod';
import { limits } from './limits';
import { IdSchema, PageQuerySchema, VersionSchema } from './common';
import { PermissionSchema } from './auth';

/** The users table's CHECK (users_username_check). */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;

/**
 * Well-known administrator names an attacker tries first: the built-in account must leave
 * them at first sign-in, and no account may take one.
 */
export const reservedUsernames = ['admin', 'administrator', 'root', 'sa', 'system', 'superuser', 'sysadmin'] as const;

export const isReservedUsername = (name: string) => (reservedUsernames as readonly string[]).includes(name.trim().toLowerCase());

/** The three administrators of 三权分立: nobody holds two of them. */
export const adminRoleCodes = ['sys_admin', 'security_admin', 'audit_admin'] as const;

export const UsernameSchema = z
  .string()
  .trim()
  .regex(USERNAME_PATTERN, 'username: 3 to 32 letters, digits, "_", "." or "-"')
  .refine((v) => !isReservedUsername(v), 'reservedUsername');

export const UserGrantSchema = z.object({
  roleId: IdSchema,
  roleCode: z.string(),
  roleName: z.string(),
  scopeUnitId: IdSchema,
  scopeUnitName: z.string(),
});
export type UserGrant = z.infer<typeof UserGrantSchema>;

export const UserSummarySchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  personId: IdSchema.nullable(),
  personName: z.string().nullable(),
  active: z.boolean(),
  /** locked out by failed sign-ins until this time (null: not locked) */
  lockedUntil: z.iso.datetime({ offset: true }).nullable(),
  mustChangePassword: z.boolean(),
  mustRename: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: z.iso.datetime({ offset: true }).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  version: z.number().int(),
  grants: z.array(UserGrantSchema),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const UsersListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(limits.searchMax).optional(),
});
export type UsersListQuery = z.infer<typeof UsersListQuerySchema>;

export const CreateUserRequestSchema = z.object({
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(limits.nameMax),
  personId: IdSchema.nullable().optional(),
  /** omitted: a random one is generated and returned once; either way it must be changed at first sign-in */
  password: z.string().min(1).max(limits.passwordMax).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/** The account and, when the server generated it, the initial password (shown once, never stored in clear). */
export const UserWithPasswordSchema = z.object({
  user: UserSummarySchema,
  initialPassword: z.string().nullable(),
});

export const UserVersionRequestSchema = z.object({ version: VersionSchema });

export const ResetPasswordRequestSchema = z.object({
  version: VersionSchema,
  password: z.string().min(1).max(limits.passwordMax).optional(),
});

export const GrantRequestSchema = z.object({
  version: VersionSchema,
  roleId: IdSchema,
  scopeUnitId: IdSchema,
});
export type GrantRequest = z.infer<typeof GrantRequestSchema>;

export const RoleSchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  permissions: z.array(PermissionSchema),
});
export const RoleListSchema = z.object({ items: z.array(RoleSchema) });

/** The built-in administrator's new, personal username. */
export const RenameRequestSchema = z.object({ username: UsernameSchema });
