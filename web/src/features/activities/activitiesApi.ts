import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ActivityDetail,
  ActivityStatus,
  ActivitySummary,
  ActivityType,
  Attachment,
  CreateActivityRequest,
  CreateActivityTypeRequest,
  CreateSessionRequest,
  ParticipantPick,
  SessionAttendanceRequest,
  SigninInfo,
  UpdateActivityRequest,
  UpdateActivityTypeRequest,
} from '@tongxin/contracts';
import { api, apiBase, commonHeaders, errorFromResponse, isApiError, type Query } from '../../app/api';

export const activitiesKey = ['activities'] as const;
export const typesKey = ['activity-types'] as const;

export interface ActivityFilters {
  unitId?: string;
  typeId?: string;
  status?: ActivityStatus;
  from?: string;
  to?: string;
  q?: string;
  personId?: string;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function filtersQuery(f: ActivityFilters): Query {
  return { unitId: f.unitId, typeId: f.typeId, status: f.status, from: f.from, to: f.to, q: f.q?.trim() || undefined, personId: f.personId };
}

export function useActivityTypes(includeInactive = false, enabled = true) {
  return useQuery({
    queryKey: [...typesKey, { includeInactive }],
    queryFn: ({ signal }) => api.get<{ items: ActivityType[] }>('/activity-types', { includeInactive: includeInactive ? 'true' : 'false' }, signal),
    select: (d) => d.items,
    staleTime: 60_000,
    enabled,
  });
}

export function useTypeMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: typesKey });
  const create = useMutation({ mutationFn: (body: CreateActivityTypeRequest) => api.post<ActivityType>('/activity-types', body), onSuccess: refresh });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateActivityTypeRequest }) => api.patch<ActivityType>(`/activity-types/${id}`, body),
    onSuccess: refresh,
    onError: async (e: unknown) => {
      if (isApiError(e) && e.code === 'STALE_VERSION') await refresh();
    },
  });
  return { create, update };
}

export function useActivityList(filters: ActivityFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...activitiesKey, 'list', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<ActivitySummary>>('/activities', { ...filtersQuery(filters), page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

/** `poll`: while the sign-in code is shown, sign-ins arrive from phones: refresh every few seconds. */
export function useActivity(id: string | undefined, poll = false) {
  return useQuery({
    queryKey: [...activitiesKey, 'detail', id],
    queryFn: ({ signal }) => api.get<ActivityDetail>(`/activities/${id ?? ''}`, undefined, signal),
    enabled: !!id,
    refetchInterval: poll ? 5_000 : false,
  });
}

/** A participant is named by their person id, or by the contact id for a contact of the registry. */
export type AttendanceItem = ({ personId: string } | { contactId: string }) & { attendance: 'pending' | 'present' | 'leave' | 'absent'; leaveReason?: string };

/** Every write of one activity: each answers the new detail, which replaces the cached one. */
export function useActivityMutations(id?: string) {
  const qc = useQueryClient();
  const put = async (saved: ActivityDetail) => {
    qc.setQueryData([...activitiesKey, 'detail', saved.id], saved);
    await qc.invalidateQueries({ queryKey: [...activitiesKey, 'list'] });
  };
  const refreshDetail = () => qc.invalidateQueries({ queryKey: [...activitiesKey, 'detail', id] });
  const onError = async (e: unknown) => {
    if (isApiError(e) && e.code === 'STALE_VERSION') await refreshDetail();
  };
  const path = `/activities/${id ?? ''}`;
  return {
    create: useMutation({ mutationFn: (body: CreateActivityRequest) => api.post<ActivityDetail>('/activities', body), onSuccess: put }),
    update: useMutation({ mutationFn: (body: UpdateActivityRequest) => api.patch<ActivityDetail>(path, body), onSuccess: put, onError }),
    transition: useMutation({
      mutationFn: (body: { version: number; status: 'held' | 'recorded' }) => api.post<ActivityDetail>(`${path}/transition`, body),
      onSuccess: put,
      onError,
    }),
    cancel: useMutation({ mutationFn: (body: { version: number; reason: string }) => api.post<ActivityDetail>(`${path}/cancel`, body), onSuccess: put, onError }),
    minutes: useMutation({ mutationFn: (body: { version: number; html: string }) => api.put<ActivityDetail>(`${path}/minutes`, body), onSuccess: put, onError }),
    addPeople: useMutation({ mutationFn: (body: Partial<ParticipantPick>) => api.post<ActivityDetail>(`${path}/participants`, body), onSuccess: put }),
    // a person's id, or a contact's id for a contact participant
    removePerson: useMutation({ mutationFn: (ref: string) => api.delete<ActivityDetail>(`${path}/participants/${ref}`), onSuccess: put }),
    addSession: useMutation({
      mutationFn: (body: CreateSessionRequest) => api.post<ActivityDetail>(`${path}/sessions`, body),
      onSuccess: put,
    }),
    deleteSession: useMutation({ mutationFn: (sessionId: string) => api.delete<ActivityDetail>(`${path}/sessions/${sessionId}`), onSuccess: put }),
    sessionAttendance: useMutation({
      mutationFn: ({ sessionId, items }: { sessionId: string } & SessionAttendanceRequest) => api.put<ActivityDetail>(`${path}/sessions/${sessionId}/attendance`, { items }),
      onSuccess: put,
    }),
    attendance: useMutation({ mutationFn: (items: AttendanceItem[]) => api.post(`${path}/attendance`, { items }), onSuccess: refreshDetail }),
    decideLeave: useMutation({
      mutationFn: (body: { personId: string; approve: boolean }) => api.post<ActivityDetail>(`${path}/leave/decide`, body),
      onSuccess: put,
    }),
    requestLeave: useMutation({ mutationFn: (reason: string) => api.post(`${path}/leave`, { reason }), onSuccess: refreshDetail }),
    removeAttachment: useMutation({ mutationFn: (attachmentId: string) => api.delete(`${path}/attachments/${attachmentId}`), onSuccess: refreshDetail }),
  };
}

export function useSigninCode(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...activitiesKey, 'signin-code', id],
    queryFn: ({ signal }) => api.get<{ code: string; path: string; rotatesAt: string; periodSeconds: number }>(`/activities/${id}/signin-code`, undefined, signal),
    enabled,
    // a new code each period: ask again a little after it rotates
    refetchInterval: (q) => {
      const at = q.state.data ? Date.parse(q.state.data.rotatesAt) - Date.now() : 5_000;
      return Math.max(1_000, at + 500);
    },
    gcTime: 0,
  });
}

export function useSigninInfo(id: string) {
  return useQuery({
    queryKey: [...activitiesKey, 'signin-info', id],
    queryFn: ({ signal }) => api.get<SigninInfo>(`/activities/${id}/signin`, undefined, signal),
    retry: false,
    meta: { quietCodes: ['NOT_A_PARTICIPANT', 'NOT_FOUND'] },
  });
}

export function useSignIn(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.post<SigninInfo>(`/activities/${id}/signin`, { code }),
    onSuccess: (info) => qc.setQueryData([...activitiesKey, 'signin-info', id], info),
    meta: { quietCodes: ['SIGNIN_CODE_INVALID', 'SIGNIN_CODE_EXPIRED', 'ALREADY_SIGNED_IN', 'NOT_A_PARTICIPANT', 'INVALID_STATE'] },
  });
}

/** Multipart upload with fetch: the JSON client does not send files. */
export async function uploadAttachment(id: string, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(`${apiBase}/activities/${id}/attachments`, { method: 'POST', headers: commonHeaders('POST'), body: form, credentials: 'same-origin' });
  if (!res.ok) throw await errorFromResponse(res);
  return (await res.json()) as Attachment;
}

export function exportUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return `${apiBase}${path}${s ? `?${s}` : ''}`;
}

export function useUploadAttachment(id: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (file: File) => uploadAttachment(id, file), onSuccess: () => qc.invalidateQueries({ queryKey: [...activitiesKey, 'detail', id] }) });
}
