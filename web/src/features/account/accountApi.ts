import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import { meKey } from '../../app/queryClient';

/** contracts' SessionInfoSchema */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}
export interface TotpSetup {
  secret: string;
  otpauthUri: string;
}
export interface RecoveryCodes {
  recoveryCodes: string[];
}

export const sessionsKey = ['auth', 'sessions'] as const;
const totpSetupKey = ['auth', 'totp', 'setup'] as const;

export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => api.get<{ items: SessionInfo[] }>('/auth/sessions', undefined, signal),
    select: (d) => d.items,
  });
}

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/auth/sessions/${id}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  });
}

export function useEndOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/auth/sessions/end-others'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  });
}

/**
 * Starts an enrolment: a new secret each time the enrolment view mounts. A query rather than
 * an effect-driven mutation, so a double mount (StrictMode) asks the server once; gcTime 0
 * forgets the secret when the view closes.
 */
export function useTotpSetup() {
  return useQuery({
    queryKey: totpSetupKey,
    queryFn: () => api.post<TotpSetup>('/auth/totp/setup'),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
}

export function useEnableTotp() {
  return useMutation({
    mutationFn: (code: string) => api.post<RecoveryCodes>('/auth/totp/enable', { code }),
    // the code field shows it
    meta: { quietCodes: ['SECOND_FACTOR_INVALID'] },
  });
}

export function useDisableTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => api.post<{ ok: true }>('/auth/totp/disable', { password }),
    // CONFLICT: the policy requires the factor of this account (the form says so)
    meta: { quietCodes: ['INVALID_CREDENTIALS', 'CONFLICT'] },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}

export function useRegenerateRecoveryCodes() {
  return useMutation({
    mutationFn: (password: string) => api.post<RecoveryCodes>('/auth/totp/recovery-codes', { password }),
    meta: { quietCodes: ['INVALID_CREDENTIALS'] },
  });
}
