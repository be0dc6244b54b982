import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { PasswordRules } from './passwordPolicy';

export const passwordRulesKey = ['auth', 'password-rules'] as const;

/** The tenant's rules for a new password (the security policy may change them). */
export function usePasswordRules() {
  return useQuery({
    queryKey: passwordRulesKey,
    queryFn: ({ signal }) => api.get<PasswordRules>('/auth/password-rules', undefined, signal),
    staleTime: 60_000,
  });
}
