import { z } from 'zod';
import { limits } from './limits';
import { IdSchema } from './common';

/** Every permission a route can require. Roles are sets of these. */
export const permissions = [
  'org.read',
  'org.write',
  'people.read',
  'people.write',
  'people.reveal',
  'people.import',
  'people.export',
  'users.manage',
  'security.manage',
  'audit.read',
] as const;
export type Permission = (typeof permissions)[number];
export const PermissionSchema = z.enum(permissions);

export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1).max(limits.usernameMax),
  password: z.string().min(1).max(limits.passwordMax),
});

export const MeSchema = z.object({
  userId: IdSchema,
  username: z.string(),
  displayName: z.string(),
  personId: IdSchema.nullable(),
  tenantId: IdSchema,
  tenantName: z.string(),
  mustChangePassword: z.boolean(),
  /** when the password must be changed by; null when passwords do not expire */
  passwordExpiresAt: z.iso.datetime().nullable(),
  /** within the policy's warning window before expiry */
  passwordExpiringSoon: z.boolean(),
  permissions: z.array(PermissionSchema),
  roles: z.array(z.object({ code: z.string(), name: z.string(), scopeUnitId: IdSchema, scopeUnitName: z.string() })),
});
export type Me = z.infer<typeof MeSchema>;

export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(limits.passwordMax),
  newPassword: z.string().min(limits.passwordMin).max(limits.passwordMax),
});

export const SecurityPolicySchema = z.object({
  passwordMinLength: z.number().int().min(8).max(128),
  passwordMinClasses: z.number().int().min(1).max(4),
  passwordHistory: z.number().int().min(0).max(24),
  /** 0: passwords never expire */
  passwordMaxAgeDays: z.number().int().min(0).max(3650),
  passwordWarnDays: z.number().int().min(0).max(90),
  lockoutThreshold: z.number().int().min(1).max(100),
  lockoutMinutes: z.number().int().min(1).max(1440),
});
export type SecurityPolicy = z.infer<typeof SecurityPolicySchema>;
export const SecurityPolicyResponseSchema = SecurityPolicySchema.extend({ version: z.number().int() });
export const UpdateSecurityPolicyRequestSchema = SecurityPolicySchema.extend({ version: z.number().int().min(1) });
