import { SecurityPolicySchema, type SecurityPolicy } from '@tongxin/contracts';

/** The form's fields, in display order: the numeric settings of the policy. */
export const passwordFields = [
  'passwordMinLength',
  'passwordMinClasses',
  'passwordHistory',
  'passwordMaxAgeDays',
  'passwordWarnDays',
] as const satisfies readonly (keyof SecurityPolicy)[];
export const lockoutFields = ['lockoutThreshold', 'lockoutMinutes'] as const satisfies readonly (keyof SecurityPolicy)[];

export type PolicyField = (typeof passwordFields)[number] | (typeof lockoutFields)[number];
export const policyFields: readonly PolicyField[] = [...passwordFields, ...lockoutFields];

/** What the form edits: the numeric settings and the second-factor switch; anything else is left out of the PUT (unchanged). */
export type PolicyValues = Pick<SecurityPolicy, PolicyField | 'totpRequired'>;

export interface Range {
  min: number;
  max: number;
}

/** A field's allowed range, read from the contract so the form and the server agree. */
export function policyRange(field: PolicyField): Range {
  const schema = SecurityPolicySchema.shape[field];
  const { minValue, maxValue } = schema;
  if (minValue === null || maxValue === null) throw new Error(`${field}: the contract gives no range`);
  return { min: minValue, max: maxValue };
}

/**
 * The server's cross-field rule: when passwords expire, the warning must start before the
 * expiry (warn days < max age). Returns the max age to mention in the message, or null if fine.
 */
export function warnDaysProblem(maxAgeDays: number | null | undefined, warnDays: number | null | undefined): number | null {
  if (maxAgeDays == null || warnDays == null || maxAgeDays === 0) return null;
  return warnDays >= maxAgeDays ? maxAgeDays : null;
}
