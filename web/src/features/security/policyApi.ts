import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SecurityPolicy } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { meKey } from '../../app/queryClient';
import { passwordRulesKey } from '../auth/authApi';
import type { PolicyValues } from './policy';

export const policyKey = ['security', 'policy'] as const;

export type VersionedPolicy = SecurityPolicy & { version: number };
export type PolicyUpdate = PolicyValues & { version: number };

export function usePolicy() {
  return useQuery({
    queryKey: policyKey,
    queryFn: ({ signal }) => api.get<VersionedPolicy>('/security/policy', undefined, signal),
  });
}

export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicyUpdate) => api.put<VersionedPolicy>('/security/policy', body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(policyKey, saved);
      // the signed-in user's own password expiry follows the policy
      await queryClient.invalidateQueries({ queryKey: meKey });
      // and so do the rules the change-password form shows
      await queryClient.invalidateQueries({ queryKey: passwordRulesKey });
    },
    onError: async (e) => {
      // someone else saved first: load their version (the message comes from the central handler)
      if (isApiError(e) && e.code === 'STALE_VERSION') await queryClient.invalidateQueries({ queryKey: policyKey });
    },
  });
}
