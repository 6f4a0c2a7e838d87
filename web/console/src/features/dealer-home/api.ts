// A dealer user's own routes (docs/api.md "The dealer's own routes"): its dealer, its units,
// their activations (customers masked) and activating for a buyer at the counter.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const UNIT_STATUSES = ['shipped', 'activated', 'void'] as const;
export type DealerUnitStatus = (typeof UNIT_STATUSES)[number];
export const unitFilterNames = ['status'] as const;
export type UnitFilters = Filters<(typeof unitFilterNames)[number]>;

export interface DealerMe {
  username: string;
  dealer: { dealer_id: string; code: string; name: string; province: string; address: string; status: string };
}

export interface DealerUnit {
  serial: string;
  model_code: string;
  status: DealerUnitStatus;
  shipped_on: string | null;
  activated_at: string | null;
  shipment_id: string | null;
  carton: string | null;
}

export interface DealerActivation {
  serial: string;
  model_code: string;
  activated_at: string | null;
  channel: string;
  customer_name: string | null;
  customer_phone: string | null;
  province: string | null;
}

export interface Buyer {
  name: string;
  phone: string;
  province?: string;
}

export interface Activated {
  serial: string;
  activated_at: string;
  warranty_end: string;
  customer_name: string;
  customer_phone: string;
}

export function useDealerMe() {
  return useQuery<DealerMe, ApiError>({
    queryKey: ['dealer-me'],
    queryFn: ({ signal }) => api<DealerMe>('/dealer/me', { signal }),
  });
}

export function useDealerUnits(filters: UnitFilters, cursor: string) {
  return useQuery<CursorPage<DealerUnit>, ApiError>({
    queryKey: ['dealer-units', filters, cursor],
    queryFn: async ({ signal }) => {
      const query: Record<string, string> = { cursor };
      if (filters.status) query.status = filters.status;
      const body = await api<{ units: DealerUnit[]; next_cursor: string | null }>('/dealer/units', { query, signal });
      return { records: body.units, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function useDealerActivations(cursor: string) {
  return useQuery<CursorPage<DealerActivation>, ApiError>({
    queryKey: ['dealer-activations', cursor],
    queryFn: async ({ signal }) => {
      const body = await api<{ activations: DealerActivation[]; next_cursor: string | null }>('/dealer/activations', {
        query: { cursor },
        signal,
      });
      return { records: body.activations, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function useStartActivation() {
  return useMutation<{ sent: boolean; expires_in: number; resend_after: number }, ApiError, { serial: string; buyer: Buyer }>({
    mutationFn: (body) => api('/dealer/activations/start', { method: 'POST', body }),
  });
}

export function useConfirmActivation() {
  const queryClient = useQueryClient();
  return useMutation<Activated, ApiError, { serial: string; buyer: Buyer; code: string }>({
    mutationFn: (body) => api<Activated>('/dealer/activations/confirm', { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['dealer-units'] });
      void queryClient.invalidateQueries({ queryKey: ['dealer-activations'] });
    },
  });
}

// -- the dealer's own shipments (confirmed, or cancelled after they shipped) ---------------------

export const DEALER_SHIPMENT_STATUSES = ['confirmed', 'cancelled'] as const;
export type DealerShipmentStatus = (typeof DEALER_SHIPMENT_STATUSES)[number];
export const shipmentFilterNames = ['status', 'date_from', 'date_to'] as const;
export type DealerShipmentFilters = Filters<(typeof shipmentFilterNames)[number]>;

export interface DealerShipmentSummary {
  shipment_id: string;
  ship_date: string;
  document_number: string;
  status: DealerShipmentStatus;
  shipped: number;
  returned: number;
  kept: number;
}

export interface DealerShipment extends DealerShipmentSummary {
  dealer: { dealer_id: string; code: string; name: string };
  counts: { model_code: string; count: number }[];
  confirmed_at: string | null;
  cancelled_at: string | null;
}

/** A unit as it is now: still with the dealer (`shipped`, `activated`), given back
 * (`returned`) or back in stock with the shipment's cancellation (`cancelled`). */
export interface DealerShipmentUnit {
  serial: string;
  model_code: string;
  status: 'shipped' | 'activated' | 'returned' | 'cancelled';
  activated: boolean;
  carton: string | null;
}

export function useDealerShipments(filters: DealerShipmentFilters, cursor: string) {
  return useQuery<CursorPage<DealerShipmentSummary>, ApiError>({
    queryKey: ['dealer-shipments', filters, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<{ shipments: DealerShipmentSummary[]; next_cursor: string | null }>('/dealer/shipments', {
        query: { ...filters, cursor },
        signal,
      });
      return { records: body.shipments, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

const shipmentPath = (shipmentId: string) => `/dealer/shipments/${encodeURIComponent(shipmentId)}`;

export function useDealerShipment(shipmentId: string) {
  return useQuery<{ shipment: DealerShipment; units: DealerShipmentUnit[] }, ApiError>({
    queryKey: ['dealer-shipment', shipmentId],
    queryFn: ({ signal }) => api(shipmentPath(shipmentId), { signal }),
  });
}

export function useExportDealerShipment(shipmentId: string) {
  return useMutation<{ url: string; filename: string; rows: number }, ApiError, undefined>({
    mutationFn: () => api(`${shipmentPath(shipmentId)}/export`, { method: 'POST' }),
  });
}
