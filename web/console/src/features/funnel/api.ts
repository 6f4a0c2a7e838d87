// The dealer funnel (docs/api.md "GET /funnel"): read from the counters the units stream keeps;
// the query key is the URL's filters.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';

export const FUNNEL_READERS: readonly Role[] = ['admin', 'director', 'cs', 'accountant'];
export const MONTH_CHOICES = ['1', '3', '6', '12', '24'] as const;
export const DEFAULT_MONTHS = '6';
export const FUNNEL_FILTERS = ['months', 'dealer', 'model'] as const;
export type FunnelFilters = Record<(typeof FUNNEL_FILTERS)[number], string>;

export interface Tally {
  shipped: number;
  /** shipped − returned_of_shipped: what the screen calls shipped */
  net_shipped: number;
  activated: number;
  returned: number;
  activated_of_shipped: number;
  returned_of_shipped: number;
  activation_rate: number | null;
}

export interface Ageing {
  days_0_30: number;
  days_31_90: number;
  over_90: number;
}

export interface DealerRef {
  dealer_id: string;
  dealer_code: string;
  dealer_name: string;
}

export type FunnelDealer = DealerRef & Tally & { ageing: Ageing };

export type FunnelRow = DealerRef &
  Tally & { month: string; model_code: string; model_name: string; model_name_en: string };

export interface Funnel {
  today: string;
  filters: { months: number; dealer_id: string | null; model_code: string | null };
  months: string[];
  total: Tally;
  ageing: Ageing;
  by_month: (Tally & { month: string })[];
  dealers: FunnelDealer[];
  rows: FunnelRow[];
  dealer_options: DealerRef[];
  reads: number;
}

export interface FunnelExport {
  rows: number;
  filename: string;
  url: string;
}

/** `?months=6&dealer=d_…&model=AC-9`: only the filters that are set. */
export function funnelQuery(filters: FunnelFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The staff's funnel (`/funnel`) or, `own`, the signed-in dealer's (`/dealer/funnel`, which
 * takes no dealer). */
export function useFunnel(filters: FunnelFilters, own = false) {
  const asked = own ? { ...filters, dealer: '' } : filters;
  const path = own ? '/dealer/funnel' : '/funnel';
  return useQuery<Funnel, ApiError>({
    queryKey: ['funnel', path, asked],
    queryFn: ({ signal }) => api<Funnel>(`${path}${funnelQuery(asked)}`, { signal }),
  });
}

export function useExportFunnel(filters: FunnelFilters) {
  return useMutation<FunnelExport, ApiError>({
    mutationFn: () => api<FunnelExport>(`/funnel/export${funnelQuery(filters)}`, { method: 'POST' }),
  });
}
