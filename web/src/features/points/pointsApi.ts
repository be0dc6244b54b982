import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AnswerObjectionRequest,
  CreateManualEntryRequest,
  CreateRuleSetRequest,
  Entry,
  EntriesQuery,
  Evaluation,
  ManualRequest,
  MyPoints,
  Notice,
  NoticeDetail,
  Objection,
  OverrideGradeRequest,
  PublishNoticeRequest,
  RuleSet,
  Tally,
} from '@tongxin/contracts';
import { api } from '../../app/api';
import type { RequestMeta } from '../../app/queryClient';

export const pointsKey = ['points'] as const;

export function useMyPoints(month?: string) {
  return useQuery({ queryKey: [...pointsKey, 'me', month], queryFn: ({ signal }) => api.get<MyPoints>('/points/me', { month }, signal), retry: false });
}

export function useTally(branchId: string | undefined, month: string) {
  return useQuery({
    queryKey: [...pointsKey, 'tally', branchId, month],
    queryFn: ({ signal }) => api.get<Tally>('/points/tally', { branchId, month }, signal),
    enabled: !!branchId,
  });
}

export function useEntries(q: EntriesQuery | null) {
  return useQuery({
    queryKey: [...pointsKey, 'entries', q],
    queryFn: ({ signal }) => api.get<Entry[]>('/points/entries', { ...q }, signal),
    enabled: !!q,
  });
}

export function useNotices() {
  return useQuery({ queryKey: [...pointsKey, 'notices'], queryFn: ({ signal }) => api.get<Notice[]>('/points/notices', undefined, signal) });
}

export function useNotice(id: string | null) {
  return useQuery({ queryKey: [...pointsKey, 'notice', id], queryFn: ({ signal }) => api.get<NoticeDetail>(`/points/notices/${id}`, undefined, signal), enabled: !!id });
}

export function useNoticeEntries(id: string | null, personId?: string) {
  return useQuery({
    queryKey: [...pointsKey, 'notice', id, 'entries', personId],
    queryFn: ({ signal }) => api.get<Entry[]>(`/points/notices/${id}/entries`, { personId }, signal),
    enabled: !!id,
  });
}

export function useEvaluation(year: number, branchId?: string) {
  return useQuery({ queryKey: [...pointsKey, 'evaluation', year, branchId], queryFn: ({ signal }) => api.get<Evaluation>('/points/evaluation', { year, branchId }, signal) });
}

export function useManualRequests(status?: string) {
  return useQuery({ queryKey: [...pointsKey, 'manual', status], queryFn: ({ signal }) => api.get<ManualRequest[]>('/points/manual-entries', { status }, signal) });
}

export function useRuleSets(enabled = true) {
  return useQuery({ queryKey: [...pointsKey, 'rules'], queryFn: ({ signal }) => api.get<RuleSet[]>('/points/rule-sets', undefined, signal), enabled });
}

/** Every write changes numbers shown elsewhere in the area: refresh all of it. */
function usePointsMutation<I, O>(fn: (input: I) => Promise<O>, meta?: RequestMeta) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: pointsKey }), meta });
}

export const usePublishNotice = () => usePointsMutation((b: PublishNoticeRequest) => api.post<Notice>('/points/notices', b));
export const useCloseNotice = () => usePointsMutation((n: { id: string; version: number }) => api.post<Notice>(`/points/notices/${n.id}/close`, { version: n.version }));
export const useRaiseObjection = () =>
  usePointsMutation((o: { noticeId: string; entryId: string; text: string }) => api.post<Objection>(`/points/notices/${o.noticeId}/objections`, { entryId: o.entryId, text: o.text }));
export const useAnswerObjection = () => usePointsMutation((a: AnswerObjectionRequest & { id: string }) => api.post<Objection>(`/points/objections/${a.id}/answer`, { accept: a.accept, answer: a.answer, correction: a.correction }));
export const useCreateManual = () => usePointsMutation((b: CreateManualEntryRequest) => api.post<ManualRequest>('/points/manual-entries', b));
export const useReviewManual = () => usePointsMutation((r: { id: string; approve: boolean }) => api.post<ManualRequest>(`/points/manual-entries/${r.id}/review`, { approve: r.approve }));
export const useOverrideGrade = () => usePointsMutation((b: OverrideGradeRequest) => api.post<{ ok: true }>('/points/evaluation/overrides', b));
// the rule editor shows these by field itself
export const useCreateRuleSet = () => usePointsMutation((b: CreateRuleSetRequest) => api.post<RuleSet>('/points/rule-sets', b), { quietCodes: ['VALIDATION_FAILED', 'PERIOD_CLOSED'] });

/** 'YYYY-MM' of today in China. */
export function currentMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}
