import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { Me } from '@tongxin/contracts';
import { ApiError, isApiError } from './api';
import { navigateTo } from './navigation';
import { notifier } from './notify';
import { i18n } from './i18n';

export const meKey = ['auth', 'me'] as const;

/** Per-query/mutation options for the central error handler. */
export interface RequestMeta extends Record<string, unknown> {
  /** codes the caller shows itself (e.g. IMPORT_INVALID shown as a table) */
  quietCodes?: readonly ApiError['code'][];
}

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: RequestMeta;
    mutationMeta: RequestMeta;
  }
}

/**
 * The one place that turns a failed request into what the user sees: a message with the
 * server's localised text, or a redirect (sign-in, forced password change, forced enrolment of
 * a second factor).
 */
export function reportError(error: unknown, meta?: RequestMeta): void {
  if (!isApiError(error)) {
    notifier().error(error instanceof Error ? error.message : String(error));
    return;
  }
  if (error.code === 'ABORTED') return;
  if (meta?.quietCodes?.includes(error.code)) return;

  if (error.code === 'NETWORK') {
    notifier().error({ key: 'network', content: i18n.t('app.networkError') });
    return;
  }
  // only these mean "no session"; other 401s (wrong password, locked account) are messages
  if (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED') {
    const wasSignedIn = queryClient.getQueryData<Me | null>(meKey) != null;
    queryClient.setQueryData<Me | null>(meKey, null);
    if (wasSignedIn) notifier().warning({ key: 'session', content: error.message });
    if (window.location.pathname !== '/login') {
      navigateTo('/login', { replace: true, state: { from: window.location.pathname + window.location.search } });
    }
    return;
  }
  if (error.code === 'PASSWORD_CHANGE_REQUIRED') {
    notifier().info({ key: 'password-change', content: error.message });
    // mark it at once (RequireAuth then keeps the user on the page), and confirm with the server
    queryClient.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, mustChangePassword: true } : me));
    void queryClient.invalidateQueries({ queryKey: meKey });
    navigateTo('/change-password', { replace: true });
    return;
  }
  if (error.code === 'ADMIN_RENAME_REQUIRED') {
    notifier().info({ key: 'admin-rename', content: error.message });
    queryClient.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, mustRename: true } : me));
    void queryClient.invalidateQueries({ queryKey: meKey });
    navigateTo('/rename-admin', { replace: true });
    return;
  }
  if (error.code === 'TOTP_ENROLMENT_REQUIRED') {
    notifier().info({ key: 'totp-enrolment', content: error.message });
    queryClient.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, totpEnrolmentRequired: true } : me));
    void queryClient.invalidateQueries({ queryKey: meKey });
    navigateTo('/totp-enrolment', { replace: true });
    return;
  }
  // same code and text from several parallel queries: show it once
  notifier().error({ key: `${error.code}:${error.message}`, content: error.message });
}

function shouldRetry(failureCount: number, error: unknown): boolean {
  // 4xx are answers, not glitches: retrying cannot change them
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  if (isApiError(error) && error.code === 'ABORTED') return false;
  return failureCount < 2;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => reportError(error, query.meta),
  }),
  mutationCache: new MutationCache({
    onError: (error, _vars, _ctx, mutation) => reportError(error, mutation.meta),
  }),
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});
