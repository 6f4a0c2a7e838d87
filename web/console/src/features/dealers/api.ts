// The staff's dealer routes (docs/api.md "Dealers"), one hook per resource.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { LifecycleStatus as DealerStatus, StatusChange } from '../../components/lifecycle';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';


/** Who may create, edit, change a dealer's status and manage its users (the API's roles). */
export const DEALER_WRITERS: readonly Role[] = ['admin'];

export const dealerFilterNames = ['code', 'status'] as const;
export type DealerFilters = Filters<(typeof dealerFilterNames)[number]>;

export interface Dealer {
  dealer_id: string;
  code: string;
  name: string;
  tax_code: string | null;
  province: string;
  address: string;
  contact_phone: string | null;
  parent_id: string | null;
  status: DealerStatus;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string | null;
}

export interface DealerBrief {
  dealer_id: string;
  code: string;
  name: string;
  status: DealerStatus;
}

export interface DealerDetail extends Dealer {
  parent: DealerBrief | null;
  dealers: DealerBrief[];
  history: StatusChange[];
}

export function useDealers(filters: DealerFilters, cursor: string) {
  return useQuery<CursorPage<Dealer>, ApiError>({
    queryKey: ['dealers', filters, cursor],
    queryFn: async ({ signal }) => {
      const query: Record<string, string> = { cursor };
      if (filters.code) query.code = filters.code;
      if (filters.status) query.status = filters.status;
      const body = await api<{ dealers: Dealer[]; next_cursor: string | null }>('/dealers', { query, signal });
      return { records: body.dealers, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

/** Every dealer (the distributor picker): the first 100 in code order. */
export function useDistributors() {
  return useQuery<Dealer[], ApiError>({
    queryKey: ['dealers', 'all'],
    queryFn: async ({ signal }) =>
      (await api<{ dealers: Dealer[] }>('/dealers', { query: { limit: '100' }, signal })).dealers,
  });
}

export function useDealer(dealerId: string) {
  return useQuery<DealerDetail, ApiError>({
    queryKey: ['dealer', dealerId],
    queryFn: ({ signal }) => api<DealerDetail>(`/dealers/${encodeURIComponent(dealerId)}`, { signal }),
  });
}

export interface DealerFields {
  name: string;
  province: string;
  address?: string;
  tax_code?: string;
  contact_phone?: string;
  parent_id?: string;
}

export function useCreateDealer() {
  const queryClient = useQueryClient();
  return useMutation<DealerDetail, ApiError, DealerFields & { code: string; note?: string }>({
    mutationFn: (body) => api<DealerDetail>('/dealers', { method: 'POST', body }),
    onSuccess: (dealer) => {
      queryClient.setQueryData(['dealer', dealer.dealer_id], dealer);
      void queryClient.invalidateQueries({ queryKey: ['dealers'] });
    },
  });
}

export function useEditDealer(dealerId: string) {
  const queryClient = useQueryClient();
  return useMutation<DealerDetail, ApiError, DealerFields & { version: number }>({
    mutationFn: (body) => api<DealerDetail>(`/dealers/${encodeURIComponent(dealerId)}`, { method: 'PUT', body }),
    onSuccess: (dealer) => {
      queryClient.setQueryData(['dealer', dealerId], dealer);
      void queryClient.invalidateQueries({ queryKey: ['dealers'] });
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: ['dealer', dealerId] });
    },
  });
}
