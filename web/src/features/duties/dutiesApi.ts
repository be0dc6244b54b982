import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AppNotification,
  CalendarFeed,
  CreateDutyRuleRequest,
  DutiesCalendar,
  DutyRule,
  MissedDuties,
  NotificationSettings,
  NotificationSettingsInput,
  UpdateDutyRuleRequest,
} from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';

export const dutiesKey = ['duties'] as const;
export const notificationsKey = ['notifications'] as const;
const feedKey = ['calendar', 'feed'] as const;

/** The bell polls this often (the server has no push channel). */
export const NOTIFICATION_POLL_MS = 60_000;

export function useDutiesCalendar(unitId: string | undefined, year: number) {
  return useQuery({
    queryKey: [...dutiesKey, 'calendar', unitId, year],
    queryFn: ({ signal }) => api.get<DutiesCalendar>('/duties/calendar', { unitId, year }, signal),
    enabled: !!unitId,
  });
}

export function useMissedDuties(unitId: string | undefined) {
  return useQuery({
    queryKey: [...dutiesKey, 'missed', unitId],
    queryFn: ({ signal }) => api.get<MissedDuties>('/duties/missed', { unitId }, signal),
    enabled: !!unitId,
  });
}

/** A duty-type choice for the rule editor (GET /duties/types, activities.catalog). */
export interface DutyTypeOption {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

const rulesKey = [...dutiesKey, 'rules'] as const;

export function useDutyRules(enabled: boolean) {
  return useQuery({
    queryKey: rulesKey,
    queryFn: ({ signal }) => api.get<{ items: DutyRule[] }>('/duties/rules', undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}

export function useDutyTypeOptions(enabled: boolean) {
  return useQuery({
    queryKey: [...dutiesKey, 'types'],
    queryFn: ({ signal }) => api.get<{ items: DutyTypeOption[] }>('/duties/types', undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}

/** Create and update of duty rules; both refresh every duties query (rules change the calendar), a stale write too. */
export function useDutyRuleMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: dutiesKey });
  const create = useMutation({
    mutationFn: (body: CreateDutyRuleRequest) => api.post<DutyRule>('/duties/rules', body),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: UpdateDutyRuleRequest & { id: string }) => api.patch<DutyRule>(`/duties/rules/${id}`, body),
    onSuccess: refresh,
    onError: async (e: unknown) => {
      if (isApiError(e) && e.code === 'STALE_VERSION') await refresh();
    },
  });
  return { create, update };
}

export function useUnreadCount() {
  return useQuery({
    queryKey: [...notificationsKey, 'unread'],
    queryFn: ({ signal }) => api.get<{ unread: number }>('/notifications/unread-count', undefined, signal),
    select: (d) => d.unread,
    refetchInterval: NOTIFICATION_POLL_MS,
  });
}

export function useRecentNotifications(enabled: boolean) {
  return useQuery({
    queryKey: [...notificationsKey, 'recent'],
    queryFn: ({ signal }) => api.get<{ items: AppNotification[]; total: number }>('/notifications', { page: 1, pageSize: 10 }, signal),
    enabled,
    refetchInterval: enabled ? NOTIFICATION_POLL_MS : false,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ ok: true }>(`/notifications/${id}/read`),
    onSettled: () => qc.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/notifications/read-all'),
    onSettled: () => qc.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export function useCalendarFeed() {
  return useQuery({ queryKey: feedKey, queryFn: ({ signal }) => api.get<CalendarFeed>('/calendar/feed', undefined, signal), staleTime: Infinity });
}

export function useResetCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<CalendarFeed>('/calendar/feed/reset'),
    onSuccess: (feed) => qc.setQueryData(feedKey, feed),
  });
}

const settingsKey = [...notificationsKey, 'settings'] as const;

/** The user's own channels (email besides the bell). */
export function useNotificationSettings(enabled: boolean) {
  return useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => api.get<NotificationSettings>('/notifications/settings', undefined, signal), enabled });
}

export function useSaveNotificationSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationSettingsInput) => api.put<NotificationSettings>('/notifications/settings', body),
    onSuccess: (s) => qc.setQueryData(settingsKey, s),
  });
}
