import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppNotification, CalendarFeed, DutiesCalendar, MissedDuties } from '@tongxin/contracts';
import { api } from '../../app/api';

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
