import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditEntry, AuditVerifySchema } from '@tongxin/contracts';
import { api, type Query } from '../../app/api';
import type { PageOf } from '../people/peopleApi';

export const auditKey = ['audit'] as const;

/** `{ checked, breaks }`, as the contract declares it (no zod import needed here) */
export type AuditVerifyResult = ReturnType<typeof AuditVerifySchema.parse>;

/** The trail, newest first; `filters` is the query of `auditFiltersQuery`. */
export function useAuditList(filters: Query, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...auditKey, 'list', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<AuditEntry>>('/audit', { ...filters, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * Recomputes the hash chain on the server. A mutation, not a query: it runs on request only,
 * and the check is itself written to the trail (so the list is refreshed afterwards).
 */
export function useAuditVerify() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.get<AuditVerifyResult>('/audit/verify'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: auditKey }),
  });
}
