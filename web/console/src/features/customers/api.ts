// The customers' staff routes (docs/api.md "Customers"), one hook per resource.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';
import type { Message } from '../messages/api';

/** How the one search box reads what is typed: a phone (any spelling), the start of a name, or
 * a unit's serial. The mode and the text live in the URL (`?mode=name&q=tran thi`). */
export const SEARCH_MODES = ['phone', 'name', 'serial'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export const customerFilterNames = ['mode', 'q'] as const;
export type CustomerFilters = Filters<(typeof customerFilterNames)[number]>;

/** The roles the API lets see a customer's full name and phone (each reveal recorded). */
export const REVEALERS: readonly string[] = ['admin', 'cs'];

export function searchModeOf(filters: CustomerFilters): SearchMode {
  return SEARCH_MODES.find((mode) => mode === filters.mode) ?? 'phone';
}

export interface CustomerSummary {
  customer_id: string;
  name_masked: string;
  phone_masked: string;
  updated_at: string | null;
}

export interface Consent {
  purpose: string;
  granted: boolean;
  at: string | null;
  channel: string;
  notice_version: string;
  evidence: string;
}

export interface CustomerUnit {
  serial: string;
  model_code: string;
  status: string;
  warranty_status: string;
  activated_at: string | null;
  warranty_end: string | null;
  channel: string | null;
}

export interface CustomerDetail extends CustomerSummary {
  consents: Consent[];
  units: CustomerUnit[];
  messages: Message[];
}

export interface RevealedCustomer {
  customer_id: string;
  name: string;
  phone: string;
}

interface CustomersResponse {
  customers: CustomerSummary[];
  next_cursor: string | null;
}

/** The search's answer; nothing is asked while the box is empty. */
export function useCustomers(filters: CustomerFilters, cursor: string) {
  const mode = searchModeOf(filters);
  return useQuery<CursorPage<CustomerSummary>, ApiError>({
    queryKey: ['customers', mode, filters.q, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<CustomersResponse>('/customers', {
        query: { [mode]: filters.q, cursor },
        signal,
      });
      return { records: body.customers, nextCursor: body.next_cursor };
    },
    enabled: filters.q !== '',
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(customerId: string) {
  return useQuery<CustomerDetail, ApiError>({
    queryKey: ['customer', customerId],
    queryFn: ({ signal }) => api<CustomerDetail>(`/customers/${encodeURIComponent(customerId)}`, { signal }),
  });
}

/** The full name and phone: kept by the page that asked (never in the query cache), so they
 * are gone once the user leaves it. */
export function useRevealCustomer(customerId: string) {
  return useMutation<RevealedCustomer, ApiError>({
    mutationFn: () =>
      api<RevealedCustomer>(`/customers/${encodeURIComponent(customerId)}/reveal`, { method: 'POST' }),
  });
}
