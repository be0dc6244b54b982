import { limits } from '@tongxin/contracts';

/** Client-side hint of the server's policy; the server remains the judge (PASSWORD_POLICY). */
export type PolicyProblem = 'tooShort' | 'classes' | 'sameAsUsername';

export function passwordProblem(password: string, username: string): PolicyProblem | null {
  if (password.length < limits.passwordMin) return 'tooShort';
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'classes';
  if (username && password.toLowerCase() === username.toLowerCase()) return 'sameAsUsername';
  return null;
}
