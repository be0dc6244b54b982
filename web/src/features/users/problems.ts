import type { ApiError } from '../../app/api';
import { isApiError } from '../../app/api';
import { zhCN } from '../../app/locales/zh-CN';
import { serverProblem } from '../auth/passwordPolicy';

export type UsersProblemKey = keyof (typeof zhCN)['users']['problems'];

/** Codes whose details name a precise reason this area explains itself. */
export const explainedCodes: readonly ApiError['code'][] = ['FORBIDDEN', 'CONFLICT', 'DUPLICATE', 'PASSWORD_POLICY', 'VALIDATION_FAILED', 'NOT_FOUND', 'STALE_VERSION'];

/**
 * The translation key (with its values) of an error's first known reason, or null when the
 * server's general message is the best there is.
 */
export function problemMessage(e: unknown): { key: string; values?: Record<string, number> } | null {
  if (!isApiError(e)) return null;
  for (const d of e.details) {
    // zod's refine message is the reason itself
    const code = d.problem;
    if (Object.hasOwn(zhCN.users.problems, code)) return { key: `users.problems.${code}` };
    if (e.code === 'PASSWORD_POLICY') {
      const p = serverProblem(d);
      if (p) {
        const { key, ...values } = p;
        return { key: `password.${key}`, values };
      }
    }
  }
  return null;
}

/** The text of an error for this area: its precise reason when known, else the server's message. */
export function explain(e: ApiError, t: (key: string, values?: Record<string, unknown>) => string): string {
  const p = problemMessage(e);
  return p ? t(p.key, p.values) : e.message;
}
