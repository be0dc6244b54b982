import { zhCN } from '../../app/locales/zh-CN';
import type { Messages } from '../../app/locales/zh-CN';
import type { AuditResult } from './filters';

export type AuditActionKey = keyof Messages['auditAction'];
export type AuditTargetKey = keyof Messages['auditTarget'];
export type AuditPrefixKey = keyof Messages['auditPrefix'];

/** The prefixes offered in the action filter, in menu order. */
export const auditPrefixes: readonly AuditPrefixKey[] = ['auth', 'users', 'people', 'org', 'security', 'audit'];

/**
 * The catalogue key of a server action code (`auth.password.change` → `authPasswordChange`,
 * `auth.totp.recovery_codes` → `authTotpRecoveryCodes`),
 * or null for codes the app has no label for: those are shown as they are.
 */
export function auditActionKey(action: string): AuditActionKey | null {
  // segments are dot-separated; words within a segment are joined by single underscores
  if (!/^[a-z]+(_[a-z]+)*(\.[a-z]+(_[a-z]+)*)*$/.test(action)) return null;
  const key = action.replace(/[._]([a-z])/g, (_m, c: string) => c.toUpperCase());
  return Object.hasOwn(zhCN.auditAction, key) ? (key as AuditActionKey) : null;
}

/** The catalogue key of a target type (`person`, `org_unit`, …), or null when unknown. */
export function auditTargetKey(type: string | null): AuditTargetKey | null {
  return type !== null && Object.hasOwn(zhCN.auditTarget, type) ? (type as AuditTargetKey) : null;
}

/** Tag colours of the result. */
export const auditResultColor: Record<AuditResult, string> = {
  ok: 'success',
  denied: 'warning',
  failed: 'error',
};
