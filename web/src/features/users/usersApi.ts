import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgUnit, Permission, UserSummary } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { i18n } from '../../app/i18n';
import { notifier } from '../../app/notify';
import { explain, explainedCodes } from './problems';

export const usersKey = ['users'] as const;

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Role {
  id: string;
  code: string;
  name: string;
  permissions: Permission[];
}

export interface UserWithPassword {
  user: UserSummary;
  initialPassword: string | null;
}

export function useUsers(q: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...usersKey, 'list', q, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<UserSummary>>('/users', { q: q.trim() || undefined, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: [...usersKey, 'roles'],
    queryFn: ({ signal }) => api.get<{ items: Role[] }>('/users/roles', undefined, signal),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}

/** The unit tree for a grant's scope (the security administrator has no org.read). */
export function useGrantableUnits(enabled: boolean) {
  return useQuery({
    queryKey: [...usersKey, 'units'],
    queryFn: ({ signal }) => api.get<{ items: OrgUnit[] }>('/users/units', undefined, signal),
    select: (d) => d.items,
    staleTime: 60_000,
    enabled,
  });
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  personId?: string | null;
  password?: string;
}

export interface GrantInput {
  version: number;
  roleId: string;
  scopeUnitId: string;
}

export function useUserMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...usersKey, 'list'] });
  const opts = {
    onSuccess: refresh,
    // the precise reason (your own roles, a second administrator role, …) instead of the general text
    meta: { quietCodes: explainedCodes },
    onError: (e: unknown) => {
      if (!isApiError(e) || !explainedCodes.includes(e.code)) return;
      notifier().error({ key: `users:${e.code}`, content: explain(e, i18n.t as (k: string, v?: Record<string, unknown>) => string) });
      // a stale row: show the current state
      void refresh();
    },
  };
  return {
    create: useMutation({ mutationFn: (b: CreateUserInput) => api.post<UserWithPassword>('/users', b), ...opts }),
    setActive: useMutation({
      mutationFn: ({ user, active }: { user: UserSummary; active: boolean }) =>
        api.post<UserSummary>(`/users/${user.id}/${active ? 'reactivate' : 'deactivate'}`, { version: user.version }),
      ...opts,
    }),
    resetPassword: useMutation({
      mutationFn: (user: UserSummary) => api.post<UserWithPassword>(`/users/${user.id}/reset-password`, { version: user.version }),
      ...opts,
    }),
    unlock: useMutation({ mutationFn: (user: UserSummary) => api.post<UserSummary>(`/users/${user.id}/unlock`), ...opts }),
    grant: useMutation({ mutationFn: ({ id, ...b }: GrantInput & { id: string }) => api.post<UserSummary>(`/users/${id}/grants`, b), ...opts }),
    revoke: useMutation({ mutationFn: ({ id, ...b }: GrantInput & { id: string }) => api.post<UserSummary>(`/users/${id}/revoke`, b), ...opts }),
  };
}

/** People to link an account to, by name (the system administrator reads the roster). */
export function usePersonOptions(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['people', 'options', q],
    queryFn: ({ signal }) => api.get<PageOf<{ id: string; name: string; officeName: string }>>('/people', { q: q.trim() || undefined, pageSize: 20, active: 'true' }, signal),
    select: (d) => d.items,
    enabled,
  });
}
