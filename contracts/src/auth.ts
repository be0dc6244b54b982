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
  /** see activities of units in scope */
  'activities.read',
  /** plan, record, take attendance, write minutes for units in scope */
  'activities.write',
  /** the activity-type catalogue and the duty rules */
  'activities.catalog',
  /** read members' points, tallies and notices in scope */
  'points.read',
  /** manual entries, publishing notices, answering objections */
  'points.manage',
  /** approve manual entries made by someone else */
  'points.approve',
  /** rule sets, grading rules, yearly evaluation and grade overrides */
  'points.rules',
  /** programs, their measures and indicators */
  'programs.read',
  'programs.write',
  /** feedback forms (征求意见): see forms, invitations, responses and their export */
  'feedback.read',
  /** build, publish, close and invite to feedback forms */
  'feedback.manage',
  /** problems and rectification measures */
  'rectification.read',
  'rectification.write',
  /** verify (close) rectification measures owned by someone else */
  'rectification.verify',
  /** united-front contacts registry, enterprises, trainings, research, cases, integrity, publicity */
  'unitedfront.read',
  'unitedfront.write',
  'unitedfront.import',
  'unitedfront.export',
  /** see a contact's phone and ID number in full (each reveal audited) */
  'unitedfront.reveal',
  /** statistics, dashboards, work summaries */
  'reports.read',
  'reports.write',
  'users.manage',
  'security.manage',
  'audit.read',
] as const;
export type Permission = (typeof permissions)[number];
export const PermissionSchema = z.enum(permissions);

export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1).max(limits.usernameMax),
  password: z.string().min(1).max(limits.passwordMax),
  /** the 6-digit TOTP code, when the account has a second factor */
  otp: z.string().trim().regex(/^\d{6}$/).optional(),
  /** instead of `otp`: one of the one-time recovery codes */
  recoveryCode: z.string().trim().min(8).max(32).optional(),
});

export const MeSchema = z.object({
  userId: IdSchema,
  username: z.string(),
  displayName: z.string(),
  personId: IdSchema.nullable(),
  tenantId: IdSchema,
  tenantName: z.string(),
  mustChangePassword: z.boolean(),
  /** the built-in administrator must take a personal username before anything else */
  mustRename: z.boolean(),
  /** when the password must be changed by; null when passwords do not expire */
  passwordExpiresAt: z.iso.datetime().nullable(),
  /** within the policy's warning window before expiry */
  passwordExpiringSoon: z.boolean(),
  totpEnabled: z.boolean(),
  /** the tenant requires a second factor of this user and it is not set up yet: only enrolment is allowed */
  totpEnrolmentRequired: z.boolean(),
  permissions: z.array(PermissionSchema),
  roles: z.array(z.object({ code: z.string(), name: z.string(), scopeUnitId: IdSchema, scopeUnitName: z.string() })),
});
export type Me = z.infer<typeof MeSchema>;

export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(limits.passwordMax),
  // the length rule is the tenant's policy, checked by the server with a precise reason
  newPassword: z.string().min(1).max(limits.passwordMax),
});

/** The rules a new password must meet, for every signed-in user's change-password form. */
export const PasswordRulesSchema = z.object({
  minLength: z.number().int(),
  minClasses: z.number().int(),
  history: z.number().int(),
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
  /** a second factor for administrators and anyone who may reveal or export personal data */
  totpRequired: z.boolean(),
});
export type SecurityPolicy = z.infer<typeof SecurityPolicySchema>;
export const SecurityPolicyResponseSchema = SecurityPolicySchema.extend({ version: z.number().int() });
export const UpdateSecurityPolicyRequestSchema = SecurityPolicySchema.extend({
  version: z.number().int().min(1),
  /** omitted: unchanged */
  totpRequired: z.boolean().optional(),
});

export const TotpSetupResponseSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export const TotpCodeRequestSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/) });
export const PasswordConfirmRequestSchema = z.object({ password: z.string().min(1).max(limits.passwordMax) });
export const RecoveryCodesResponseSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const SessionInfoSchema = z.object({
  /** the SHA-256 of the session token (never the token itself) */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const SessionListSchema = z.object({ items: z.array(SessionInfoSchema) });
export const SessionIdParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) });
