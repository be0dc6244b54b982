import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OrgUnit, UnitType } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { unitsKey } from './units';

export interface CreateUnitInput {
  parentId: string;
  type: UnitType;
  name: string;
  sortOrder: number;
}

export interface UpdateUnitInput {
  id: string;
  version: number;
  name?: string;
  type?: UnitType;
  sortOrder?: number;
}

/** Mutations of units; all refresh the unit list, and on a stale version refetch it too. */
export function useUnitMutations() {
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: unitsKey });
    // names of offices, branches and groups appear in people rows
    await queryClient.invalidateQueries({ queryKey: ['people'] });
  };
  const onError = async (e: unknown) => {
    if (isApiError(e) && e.code === 'STALE_VERSION') await refresh();
  };

  const create = useMutation({
    mutationFn: (input: CreateUnitInput) => api.post<OrgUnit>('/org/units', input),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: UpdateUnitInput) => api.patch<OrgUnit>(`/org/units/${id}`, body),
    onSuccess: refresh,
    onError,
  });
  const move = useMutation({
    mutationFn: ({ id, version, parentId }: { id: string; version: number; parentId: string }) =>
      api.post<OrgUnit>(`/org/units/${id}/move`, { version, parentId }),
    onSuccess: refresh,
    onError,
  });
  const setActive = useMutation({
    mutationFn: ({ unit, active }: { unit: OrgUnit; active: boolean }) =>
      api.post<OrgUnit>(`/org/units/${unit.id}/${active ? 'reactivate' : 'deactivate'}`, { version: unit.version }),
    onSuccess: refresh,
    onError,
  });
  return { create, update, move, setActive };
}
