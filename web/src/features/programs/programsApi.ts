import { useQuery } from '@tanstack/react-query';
import type { FeedbackForm, ProblemCategory, ProblemDetail, ProgramDetail, UserRef } from '@tongxin/contracts';
import { api } from '../../app/api';

export const programsKey = ['programs'] as const;
export const problemsKey = ['rectification', 'problems'] as const;
export const formsKey = ['feedback', 'forms'] as const;

export function useProgram(id: string) {
  return useQuery({ queryKey: [...programsKey, id], queryFn: ({ signal }) => api.get<ProgramDetail>(`/programs/${id}`, undefined, signal) });
}

export function useProblem(id: string) {
  return useQuery({ queryKey: [...problemsKey, id], queryFn: ({ signal }) => api.get<ProblemDetail>(`/rectification/problems/${id}`, undefined, signal) });
}

export function useForm(id: string) {
  return useQuery({ queryKey: [...formsKey, id], queryFn: ({ signal }) => api.get<FeedbackForm>(`/feedback/forms/${id}`, undefined, signal) });
}

export function useCategories() {
  return useQuery({
    queryKey: ['rectification', 'categories'],
    queryFn: ({ signal }) => api.get<{ items: ProblemCategory[] }>('/rectification/categories', undefined, signal),
    select: (d) => d.items.filter((c) => c.active),
    staleTime: 60_000,
  });
}

export function useAssignees() {
  return useQuery({
    queryKey: ['rectification', 'assignees'],
    queryFn: ({ signal }) => api.get<{ items: UserRef[] }>('/rectification/assignees', undefined, signal),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}

export function usePrograms() {
  return useQuery({
    queryKey: [...programsKey, 'all'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; title: string }[] }>('/programs', { pageSize: 100 }, signal),
    select: (d) => d.items,
    staleTime: 30_000,
  });
}

/** Multipart upload of one file (the JSON client does not do multipart). */
export async function uploadFile(path: string, file: File): Promise<void> {
  const body = new FormData();
  body.append('file', file);
  const res = await fetch(`/api/v1${path}`, { method: 'POST', body, credentials: 'same-origin', headers: { 'X-Requested-With': 'tongxin' } });
  if (!res.ok) {
    const { errorFromResponse } = await import('../../app/api');
    throw await errorFromResponse(res);
  }
}

export const dueColor = { overdue: 'red', soon: 'orange' } as const;
