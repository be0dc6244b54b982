import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreatePersonRequest,
  Gender,
  PartyStatus,
  Person,
  UpdatePersonRequest,
} from './types';
import { api, isApiError, type Query } from '../../app/api';

export const peopleKey = ['people'] as const;

/** The list filters, as the server's query string takes them. */
export interface PeopleFilters {
  unitId?: string;
  q?: string;
  partyStatus?: PartyStatus;
  gender?: Gender;
  isLeader?: 'true' | 'false';
  active: 'true' | 'false' | 'all';
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function filtersQuery(f: PeopleFilters): Query {
  return {
    unitId: f.unitId,
    q: f.q?.trim() || undefined,
    partyStatus: f.partyStatus,
    gender: f.gender,
    isLeader: f.isLeader,
    active: f.active,
  };
}

export function usePeopleList(filters: PeopleFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...peopleKey, 'list', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<Person>>('/people', { ...filtersQuery(filters), page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string | null) {
  return useQuery({
    queryKey: [...peopleKey, 'detail', id],
    queryFn: ({ signal }) => api.get<Person>(`/people/${id ?? ''}`, undefined, signal),
    enabled: !!id,
  });
}

export function usePersonMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: peopleKey });
  const onError = async (e: unknown) => {
    // someone else saved first: show their version (the message comes from the central handler)
    if (isApiError(e) && e.code === 'STALE_VERSION') await refresh();
  };
  const create = useMutation({
    mutationFn: (body: CreatePersonRequest) => api.post<Person>('/people', body),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdatePersonRequest }) => api.patch<Person>(`/people/${id}`, body),
    onSuccess: async (saved) => {
      queryClient.setQueryData([...peopleKey, 'detail', saved.id], saved);
      await refresh();
    },
    onError,
  });
  const setActive = useMutation({
    mutationFn: ({ person, active }: { person: Person; active: boolean }) =>
      api.post<Person>(`/people/${person.id}/${active ? 'reactivate' : 'deactivate'}`, { version: person.version }),
    onSuccess: async (saved) => {
      queryClient.setQueryData([...peopleKey, 'detail', saved.id], saved);
      await refresh();
    },
    onError,
  });
  return { create, update, setActive };
}

export type RevealField = 'phone' | 'idNumber';

export function useReveal() {
  return useMutation({
    mutationFn: ({ id, field }: { id: string; field: RevealField }) =>
      api.post<{ value: string | null }>(`/people/${id}/reveal`, { field }),
  });
}
