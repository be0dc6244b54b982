import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me, Permission } from '@tongxin/contracts';
import { api, isApiError } from './api';
import { meKey } from './queryClient';
import { FullPageSpin } from './FullPageSpin';
import { ForbiddenPage } from './ErrorPages';

async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/auth/me');
  } catch (e) {
    // not signed in is a normal state here, not an error to report
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** The signed-in user; only for components rendered below RequireAuth. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside RequireAuth');
  return data;
}

/** Signs out: whatever the server answers, this browser forgets the user and shows the login page. */
export function useLogout() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/auth/logout'),
    onSettled: async () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      await navigate('/login', { replace: true });
    },
  });
}

export function can(me: Me | null | undefined, permission: Permission): boolean {
  return !!me && me.permissions.includes(permission);
}

export function useCan(permission: Permission): boolean {
  const { data } = useMe();
  return can(data, permission);
}

/** The pages a user is held on until they are done (the server refuses everything else). */
export const changePasswordPath = '/change-password';
export const totpEnrolmentPath = '/totp-enrolment';
export const renamePath = '/rename-admin';

/** Where the user must go before anything else, or null when they may go anywhere. */
export function homeOf(me: Me): string | null {
  // the server's order: the password first, then the second factor
  if (me.mustChangePassword) return changePasswordPath;
  if (me.mustRename) return renamePath;
  if (me.totpEnrolmentRequired) return totpEnrolmentPath;
  return null;
}

export interface LoginState {
  from?: string;
}

/** Sends visitors to /login, and users who must change their password or enrol a second factor to that page. */
export function RequireAuth() {
  const { data: me, isPending, isError, refetch } = useMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (isPending) return <FullPageSpin />;
  if (isError) {
    // the server is down or failing: signing in again would not help
    return (
      <Result
        status="warning"
        title={t('app.networkError')}
        extra={
          <Button type="primary" onClick={() => void refetch()}>
            {t('app.reload')}
          </Button>
        }
      />
    );
  }
  if (!me) {
    const state: LoginState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  const required = homeOf(me);
  if (required && location.pathname !== required) return <Navigate to={required} replace />;
  return <Outlet />;
}

/** Whether `me` holds the permission, or one of them when several open the same page. */
export function canAny(me: Me | null | undefined, permission: Permission | readonly Permission[]): boolean {
  return typeof permission === 'string' ? can(me, permission) : permission.some((p) => can(me, p));
}

export function RequirePermission({ permission, children }: { permission: Permission | readonly Permission[]; children: ReactNode }) {
  const { data } = useMe();
  const allowed = canAny(data, permission);
  return allowed ? <>{children}</> : <ForbiddenPage />;
}
