// The staff's service centre routes (docs/api.md "Service centres and partner service
// companies"), one hook per resource. Status changes and users: components/lifecycle and
// components/members (the dealers' too).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { LifecycleStatus, StatusChange } from '../../components/lifecycle';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const CENTER_KINDS = ['internal', 'partner'] as const;
export type CenterKind = (typeof CENTER_KINDS)[number];

/** Who may create, edit, change a centre's status and manage its users (the API's roles). */
export const CENTER_WRITERS: readonly Role[] = ['admin', 'cs'];

export const centerFilterNames = ['code', 'status'] as const;
export type CenterFilters = Filters<(typeof centerFilterNames)[number]>;

export interface Center {
  center_id: string;
  code: string;
  name: string;
  kind: CenterKind;
  tax_code: string | null;
  provinces: string[];
  address: string;
  phone: string;
  hours: string;
  listed: boolean;
  status: LifecycleStatus;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string | null;
}

export interface CenterDetail extends Center {
  history: StatusChange[];
}

/** What `POST` and `PUT /service-centers…` take besides the code, kind and note. */
export interface CenterFields {
  name: string;
  provinces: string[];
  address?: string;
  phone?: string;
  hours?: string;
  tax_code?: string;
  listed: boolean;
}

export function centerPath(centerId: string): string {
  return `/service-centers/${encodeURIComponent(centerId)}`;
}

export function useCenters(filters: CenterFilters, cursor: string) {
  return useQuery<CursorPage<Center>, ApiError>({
    queryKey: ['service-centers', filters, cursor],
    queryFn: async ({ signal }) => {
      const query: Record<string, string> = { cursor };
      if (filters.code) query.code = filters.code;
      if (filters.status) query.status = filters.status;
      const body = await api<{ centers: Center[]; next_cursor: string | null }>('/service-centers', { query, signal });
      return { records: body.centers, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function useCenter(centerId: string) {
  return useQuery<CenterDetail, ApiError>({
    queryKey: ['service-center', centerId],
    queryFn: ({ signal }) => api<CenterDetail>(centerPath(centerId), { signal }),
  });
}

/** A new centre (`POST`, no `centerId`) or an edit of one (`PUT`, with the `version` it read):
 * the answer replaces the cached centre, the lists are read again. */
export function useSaveCenter(centerId: string | null) {
  const queryClient = useQueryClient();
  type Body = CenterFields & ({ code: string; kind: CenterKind; note?: string } | { version: number });
  return useMutation<CenterDetail, ApiError, Body>({
    mutationFn: (body) =>
      centerId
        ? api<CenterDetail>(centerPath(centerId), { method: 'PUT', body })
        : api<CenterDetail>('/service-centers', { method: 'POST', body }),
    onSuccess: (center) => {
      queryClient.setQueryData(['service-center', center.center_id], center);
      void queryClient.invalidateQueries({ queryKey: ['service-centers'] });
    },
    onError: () => {
      if (centerId) void queryClient.invalidateQueries({ queryKey: ['service-center', centerId] });
    },
  });
}
