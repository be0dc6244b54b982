import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CaseFollowupRequest,
  CaseStatus,
  CreateCaseRequest,
  ServiceCase,
  Contact,
  ContactImportResult,
  CreateContactRequest,
  CreateEnterpriseRequest,
  Enterprise,
  EnterpriseType,
  TimelineEntry,
  UfCatalogues,
  UpdateContactRequest,
  UpdateEnterpriseRequest,
} from '@tongxin/contracts';
import { ApiError, api, apiBase, commonHeaders, errorFromBody, isApiError, type Query } from '../../app/api';

export const ufKey = ['unitedfront'] as const;

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function useCatalogues() {
  return useQuery({
    queryKey: [...ufKey, 'catalogues'],
    queryFn: ({ signal }) => api.get<UfCatalogues>('/unitedfront/catalogues', undefined, signal),
    staleTime: 60_000,
  });
}

export interface ContactFilters {
  q?: string;
  categoryId?: string;
  tag?: string;
  arrangement?: 'npc_deputy' | 'cppcc_member';
  active: 'true' | 'false' | 'all';
}

export function contactsQuery(f: ContactFilters): Query {
  return { q: f.q?.trim() || undefined, categoryId: f.categoryId, tag: f.tag?.trim() || undefined, arrangement: f.arrangement, active: f.active };
}

export function useContacts(filters: ContactFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...ufKey, 'contacts', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<Contact>>('/unitedfront/contacts', { ...contactsQuery(filters), page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

/** For pickers: a name fragment, first page. */
export function useContactSearch(q: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...ufKey, 'contacts', 'search', q],
    queryFn: ({ signal }) => api.get<PageOf<Contact>>('/unitedfront/contacts', { q: q.trim() || undefined, pageSize: 20 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useContact(id: string | null) {
  return useQuery({
    queryKey: [...ufKey, 'contact', id],
    queryFn: ({ signal }) => api.get<Contact>(`/unitedfront/contacts/${id ?? ''}`, undefined, signal),
    enabled: !!id,
  });
}

export function useTimeline(kind: 'contacts' | 'enterprises', id: string | null) {
  return useQuery({
    queryKey: [...ufKey, 'timeline', kind, id],
    queryFn: ({ signal }) => api.get<{ items: TimelineEntry[] }>(`/unitedfront/${kind}/${id ?? ''}/timeline`, undefined, signal),
    enabled: !!id,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: ufKey });
  };
}

export function useContactMutations() {
  const refresh = useRefresh();
  const onError = async (e: unknown) => {
    if (isApiError(e) && e.code === 'STALE_VERSION') await refresh();
  };
  const create = useMutation({
    mutationFn: (body: CreateContactRequest) => api.post<Contact>('/unitedfront/contacts', body),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateContactRequest }) => api.patch<Contact>(`/unitedfront/contacts/${id}`, body),
    onSuccess: refresh,
    onError,
  });
  const setActive = useMutation({
    mutationFn: ({ contact, active }: { contact: Contact; active: boolean }) =>
      api.post<Contact>(`/unitedfront/contacts/${contact.id}/${active ? 'reactivate' : 'deactivate'}`, { version: contact.version }),
    onSuccess: refresh,
    onError,
  });
  return { create, update, setActive };
}

export function useContactReveal() {
  return useMutation({
    mutationFn: ({ id, field }: { id: string; field: 'phone' | 'idNumber' }) => api.post<{ value: string | null }>(`/unitedfront/contacts/${id}/reveal`, { field }),
  });
}

export interface EnterpriseFilters {
  q?: string;
  type?: EnterpriseType;
  contactId?: string;
  active: 'true' | 'false' | 'all';
}

export function useEnterprises(filters: EnterpriseFilters, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...ufKey, 'enterprises', filters, page, pageSize],
    queryFn: ({ signal }) =>
      api.get<PageOf<Enterprise>>('/unitedfront/enterprises', { q: filters.q?.trim() || undefined, type: filters.type, contactId: filters.contactId, active: filters.active, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useEnterprise(id: string | null) {
  return useQuery({
    queryKey: [...ufKey, 'enterprise', id],
    queryFn: ({ signal }) => api.get<Enterprise>(`/unitedfront/enterprises/${id ?? ''}`, undefined, signal),
    enabled: !!id,
  });
}

export function useEnterpriseMutations() {
  const refresh = useRefresh();
  const create = useMutation({
    mutationFn: (body: CreateEnterpriseRequest) => api.post<Enterprise>('/unitedfront/enterprises', body),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateEnterpriseRequest }) => api.patch<Enterprise>(`/unitedfront/enterprises/${id}`, body),
    onSuccess: refresh,
  });
  return { create, update };
}

/**
 * POSTs the import file with its options (fields first: the server reads the fields that
 * precede the file). XMLHttpRequest for upload progress, as the people import does.
 */
export function uploadContacts(
  file: File,
  options: { onDuplicate?: 'merge' | 'skip'; decisions?: Record<string, 'merge' | 'skip'> },
  onProgress: (loaded: number, total: number | null) => void,
): { promise: Promise<ContactImportResult>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ContactImportResult>((resolve, reject) => {
    xhr.open('POST', `${apiBase}/unitedfront/contacts/import`);
    for (const [k, v] of Object.entries(commonHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : null);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ContactImportResult);
      else reject(errorFromBody(xhr.status, body, `${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'aborted'));
    const form = new FormData();
    if (options.onDuplicate) form.append('onDuplicate', options.onDuplicate);
    if (options.decisions) form.append('decisions', JSON.stringify(options.decisions));
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function useCases(filters: { status?: CaseStatus }, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...ufKey, 'cases', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<PageOf<ServiceCase>>('/unitedfront/cases', { status: filters.status, page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCase(id: string | null) {
  return useQuery({
    queryKey: [...ufKey, 'case', id],
    queryFn: ({ signal }) => api.get<ServiceCase>(`/unitedfront/cases/${id ?? ''}`, undefined, signal),
    enabled: !!id,
  });
}

export function useEnterpriseSearch(q: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...ufKey, 'enterprises', 'search', q],
    queryFn: ({ signal }) => api.get<PageOf<Enterprise>>('/unitedfront/enterprises', { q: q.trim() || undefined, pageSize: 20 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCaseMutations() {
  const refresh = useRefresh();
  const create = useMutation({
    mutationFn: (body: CreateCaseRequest) => api.post<ServiceCase>('/unitedfront/cases', body),
    onSuccess: refresh,
  });
  const followUp = useMutation({
    mutationFn: ({ id, body }: { id: string; body: CaseFollowupRequest }) => api.post<ServiceCase>(`/unitedfront/cases/${id}/followups`, body),
    onSuccess: refresh,
  });
  return { create, followUp };
}
