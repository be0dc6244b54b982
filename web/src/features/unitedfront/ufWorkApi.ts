import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreatePublicityRequest,
  CreateRiskRequest,
  CreateSuggestionRequest,
  CreateTopicRequest,
  IntegrityRisk,
  IntegrityRule,
  PersonOption,
  PublicityCountsSchema,
  PublicityItem,
  RecommendationToMeasureRequest,
  RecommendationToProblemRequest,
  TopicDetail,
  TopicSummary,
  UpdatePublicityRequest,
  UpdateRiskRequest,
  UpdateTopicRequest,
  adoptionLevels,
  publicityChannels,
} from '@tongxin/contracts';
import type { z } from 'zod';
import { api, errorFromResponse } from '../../app/api';
import { ufKey, type PageOf } from './ufApi';

/** Integrity, publicity and research topics: the united-front work beyond the registry. */

function useRefresh() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: ufKey });
  };
}

/** People by name (or the given ids) for owner and lead pickers: names and offices only. */
export function usePersonOptions(q: string, ids: string[] = []) {
  return useQuery({
    queryKey: [...ufKey, 'people', q, ids],
    queryFn: ({ signal }) => api.get<{ items: PersonOption[] }>('/unitedfront/integrity/people', { q: q.trim() || undefined, ids: ids.length ? ids.join(',') : undefined }, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

// ---- integrity ----

export function useRisks(filters: { level?: IntegrityRisk['level']; overdue?: 'true' | 'false' }, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...ufKey, 'risks', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<IntegrityRisk>>('/unitedfront/integrity/risks', { ...filters, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRiskMutations() {
  const refresh = useRefresh();
  const create = useMutation({ mutationFn: (body: CreateRiskRequest) => api.post<IntegrityRisk>('/unitedfront/integrity/risks', body), onSuccess: refresh });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateRiskRequest }) => api.patch<IntegrityRisk>(`/unitedfront/integrity/risks/${id}`, body),
    onSuccess: refresh,
  });
  const review = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { version: number; reviewedOn: string; nextDueOn: string } }) => api.post<IntegrityRisk>(`/unitedfront/integrity/risks/${id}/reviews`, body),
    onSuccess: refresh,
  });
  return { create, update, review };
}

export function useRules() {
  return useQuery({
    queryKey: [...ufKey, 'rules'],
    queryFn: ({ signal }) => api.get<{ items: IntegrityRule[] }>('/unitedfront/integrity/rules', undefined, signal),
  });
}

export function useRuleMutations() {
  const refresh = useRefresh();
  const create = useMutation({
    mutationFn: (body: { officeId: string; title: string; adoptedOn: string; summary: string }) => api.post<IntegrityRule>('/unitedfront/integrity/rules', body),
    onSuccess: refresh,
  });
  const revise = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { version: number; revisedOn: string; summary: string } }) => api.post<IntegrityRule>(`/unitedfront/integrity/rules/${id}/revisions`, body),
    onSuccess: refresh,
  });
  return { create, revise };
}

// ---- publicity ----

export type PublicityChannel = (typeof publicityChannels)[number];
export type AdoptionLevel = (typeof adoptionLevels)[number];
export type PublicityCounts = z.infer<typeof PublicityCountsSchema>;

export function usePublicity(filters: { from?: string; to?: string; channel?: PublicityChannel; adoptedLevel?: AdoptionLevel | 'none' }) {
  return useQuery({
    queryKey: [...ufKey, 'publicity', filters],
    queryFn: ({ signal }) => api.get<PublicityCounts>('/unitedfront/publicity', filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePublicityMutations() {
  const refresh = useRefresh();
  const create = useMutation({ mutationFn: (body: CreatePublicityRequest) => api.post<PublicityItem>('/unitedfront/publicity', body), onSuccess: refresh });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdatePublicityRequest }) => api.patch<PublicityItem>(`/unitedfront/publicity/${id}`, body),
    onSuccess: refresh,
  });
  return { create, update };
}

// ---- research topics ----

export function useTopics(q: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...ufKey, 'topics', q, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<TopicSummary>>('/research/topics', { q: q.trim() || undefined, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTopic(id: string | null) {
  return useQuery({
    queryKey: [...ufKey, 'topic', id],
    queryFn: ({ signal }) => api.get<TopicDetail>(`/research/topics/${id ?? ''}`, undefined, signal),
    enabled: !!id,
  });
}

/** Field visits and symposiums to link, by topic words. */
export function useLinkableActivities(q: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: [...ufKey, 'linkable', q],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; topic: string; typeNameZh: string; startsAt: string }[] }>('/activities', { q: q.trim() || undefined, pageSize: 20 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useProblemCategories(enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: [...ufKey, 'problem-categories'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; nameZh: string; nameEn: string; active: boolean }[] }>('/rectification/categories', undefined, signal),
    staleTime: 60_000,
  });
}

/** Open problems of the rectification inventory matching a title fragment (a measure's problem picker). */
export function useProblemPicks(q: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: [...ufKey, 'problem-picks', q],
    queryFn: ({ signal }) => api.get<{ items: { id: string; number: number; title: string; status: string }[] }>('/rectification/problems', { q: q.trim() || undefined, pageSize: 20 }, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export async function uploadReport(topicId: string, file: File): Promise<TopicDetail> {
  const body = new FormData();
  body.append('file', file, file.name);
  const res = await fetch(`/api/v1/research/topics/${topicId}/report`, { method: 'POST', body, credentials: 'same-origin', headers: { 'X-Requested-With': 'tongxin' } });
  if (!res.ok) throw await errorFromResponse(res);
  return (await res.json()) as TopicDetail;
}

export function useTopicMutations() {
  const refresh = useRefresh();
  const create = useMutation({ mutationFn: (body: CreateTopicRequest) => api.post<TopicDetail>('/research/topics', body), onSuccess: refresh });
  const update = useMutation({ mutationFn: ({ id, body }: { id: string; body: UpdateTopicRequest }) => api.patch<TopicDetail>(`/research/topics/${id}`, body), onSuccess: refresh });
  const link = useMutation({ mutationFn: ({ id, activityId }: { id: string; activityId: string }) => api.post<TopicDetail>(`/research/topics/${id}/activities`, { activityId }), onSuccess: refresh });
  const unlink = useMutation({ mutationFn: ({ id, activityId }: { id: string; activityId: string }) => api.delete<TopicDetail>(`/research/topics/${id}/activities/${activityId}`), onSuccess: refresh });
  const suggest = useMutation({
    mutationFn: ({ id, body }: { id: string; body: CreateSuggestionRequest }) => api.post<TopicDetail>(`/research/topics/${id}/suggestions`, body),
    onSuccess: refresh,
  });
  const recommend = useMutation({ mutationFn: ({ id, content }: { id: string; content: string }) => api.post<TopicDetail>(`/research/topics/${id}/recommendations`, { content }), onSuccess: refresh });
  const toProblem = useMutation({
    mutationFn: ({ id, body }: { id: string; body: RecommendationToProblemRequest }) => api.post<TopicDetail>(`/research/recommendations/${id}/problem`, body),
    onSuccess: refresh,
  });
  const toMeasure = useMutation({
    mutationFn: ({ id, body }: { id: string; body: RecommendationToMeasureRequest }) => api.post<TopicDetail>(`/research/recommendations/${id}/measure`, body),
    onSuccess: refresh,
  });
  const report = useMutation({ mutationFn: ({ id, file }: { id: string; file: File }) => uploadReport(id, file), onSuccess: refresh });
  const dropSuggestion = useMutation({ mutationFn: (id: string) => api.delete<TopicDetail>(`/research/suggestions/${id}`), onSuccess: refresh });
  const dropRecommendation = useMutation({ mutationFn: (id: string) => api.delete<TopicDetail>(`/research/recommendations/${id}`), onSuccess: refresh });
  return { create, update, link, unlink, suggest, recommend, toProblem, toMeasure, dropSuggestion, dropRecommendation, report };
}
