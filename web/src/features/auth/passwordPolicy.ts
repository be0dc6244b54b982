import { limits, type ErrorDetail } from '@tongxin/contracts';

/**
 * Client-side pre-check of the tenant's rules (GET /auth/password-rules); the server
 * remains the judge (PASSWORD_POLICY), e.g. of the password history.
 */
export type PolicyProblem = 'tooShort' | 'classes' | 'containsUsername';

export interface PasswordRules {
  minLength: number;
  minClasses: number;
  history: number;
}

/** Until the tenant's rules have loaded: the default policy's. */
export const defaultPasswordRules: PasswordRules = { minLength: limits.passwordMin, minClasses: 3, history: 5 };

export function characterClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

export function passwordProblem(password: string, username: string, rules: PasswordRules = defaultPasswordRules): PolicyProblem | null {
  if (password.length < rules.minLength) return 'tooShort';
  if (characterClasses(password) < rules.minClasses) return 'classes';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'containsUsername';
  return null;
}

/** A PASSWORD_POLICY detail of the server, as a catalogue key of `password.*` and its values. */
export type ServerProblem =
  | { key: 'tooShort'; min: number }
  | { key: 'classesAtLeast'; n: number }
  | { key: 'containsUsername' }
  | { key: 'sameAsCurrent' }
  | { key: 'reused'; n: number };

/**
 * Reads the server's problem codes (`minLength:12`, `classes:4`, `containsUsername`,
 * `sameAsCurrent`, `reused:5`): they carry the tenant's actual policy, which the form does
 * not know. Unknown codes give null (the general message is shown instead).
 */
export function serverProblem(detail: Pick<ErrorDetail, 'problem'>): ServerProblem | null {
  const [code, arg] = detail.problem.split(':');
  const n = arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : NaN;
  switch (code) {
    case 'minLength':
      return Number.isInteger(n) ? { key: 'tooShort', min: n } : null;
    case 'classes':
      return Number.isInteger(n) ? { key: 'classesAtLeast', n } : null;
    case 'reused':
      return Number.isInteger(n) ? { key: 'reused', n } : null;
    case 'containsUsername':
      return { key: 'containsUsername' };
    case 'sameAsCurrent':
      return { key: 'sameAsCurrent' };
    default:
      return null;
  }
}
