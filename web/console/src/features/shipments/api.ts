// Shipments to dealers (docs/api.md "Shipments to dealers"), one hook per resource. The scans of
// a draft live on the server: the ship-out screen shows what the API answers, so a reload or
// another device sees the same draft.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const SHIPMENT_STATUSES = ['draft', 'confirming', 'confirmed', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Who opens, scans, confirms, cancels and takes units back (the API's roles); others read. */
export const SHIPMENT_WRITERS: readonly Role[] = ['admin', 'cs'];

export const shipmentFilterNames = ['dealer_code', 'status', 'date_from', 'date_to'] as const;
export type ShipmentFilters = Filters<(typeof shipmentFilterNames)[number]>;

export interface ShipmentDealer {
  dealer_id: string;
  code: string;
  name: string;
}

export interface Refusal {
  serial: string;
  code: string;
  detail: string;
  message: string;
}

export interface ShipmentSummary {
  shipment_id: string;
  dealer: ShipmentDealer;
  ship_date: string;
  document_number: string;
  status: ShipmentStatus;
  total: number;
  shipped: number;
  /** Units the dealer gave back. */
  returned: number;
  /** Activated units a cancellation left with the dealer. */
  kept: number;
  created_by: string;
  created_at: string;
}

export interface Shipment extends Omit<ShipmentSummary, 'shipped' | 'returned' | 'kept'> {
  counts: { model_code: string; count: number }[];
  progress: { shipped: number; refused: Refusal[]; chunks: number };
  confirmed_by: string | null;
  confirmed_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  kept: string[];
  returned: number;
}

/** A unit of a shipment as it is now: a draft's `scanned`, else still with the dealer
 * (`shipped`, `activated`), given back (`returned`) or back in stock with a cancellation. */
export type ShipmentUnitStatus = 'scanned' | 'shipped' | 'activated' | 'returned' | 'cancelled';

export interface ShipmentUnit {
  serial: string;
  model_code: string;
  status: ShipmentUnitStatus;
  activated: boolean;
  carton: string | null;
}

export interface ShipmentDetail {
  shipment: Shipment;
  units: ShipmentUnit[];
}

export interface ScanOutcome {
  code: string;
  kind: 'unit' | 'carton' | 'unknown';
  added: string[];
  duplicate: boolean;
  duplicates: string[];
  notice: string | null;
  refused: Refusal[];
}

export function useShipments(filters: ShipmentFilters, cursor: string) {
  return useQuery<CursorPage<ShipmentSummary>, ApiError>({
    queryKey: ['shipments', filters, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<{ shipments: ShipmentSummary[]; next_cursor: string | null }>('/shipments', {
        query: { ...filters, cursor },
        signal,
      });
      return { records: body.shipments, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

const shipmentPath = (shipmentId: string) => `/shipments/${encodeURIComponent(shipmentId)}`;

export function useShipment(shipmentId: string) {
  return useQuery<ShipmentDetail, ApiError>({
    queryKey: ['shipment', shipmentId],
    queryFn: ({ signal }) => api<ShipmentDetail>(shipmentPath(shipmentId), { signal }),
  });
}

export interface NewShipment {
  dealer_code: string;
  ship_date: string;
  document_number: string;
}

export function useCreateShipment() {
  const queryClient = useQueryClient();
  return useMutation<Shipment, ApiError, NewShipment>({
    mutationFn: async (body) => (await api<{ shipment: Shipment }>('/shipments', { method: 'POST', body })).shipment,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['shipments'] });
    },
  });
}

/** The detail's cached copy with the API's latest shipment (its counts at once), then its
 * units read again. */
function useStoreShipment(shipmentId: string) {
  const queryClient = useQueryClient();
  return (shipment: Shipment) => {
    queryClient.setQueryData<ShipmentDetail>(['shipment', shipmentId], (current) => ({
      shipment,
      units: current?.units ?? [],
    }));
    void queryClient.invalidateQueries({ queryKey: ['shipment', shipmentId] });
    void queryClient.invalidateQueries({ queryKey: ['shipments'] });
  };
}

export function useScan(shipmentId: string) {
  const store = useStoreShipment(shipmentId);
  return useMutation<{ scan: ScanOutcome; shipment: Shipment }, ApiError, string>({
    mutationFn: (code) =>
      api<{ scan: ScanOutcome; shipment: Shipment }>(`${shipmentPath(shipmentId)}/scans`, {
        method: 'POST',
        body: { code },
      }),
    onSuccess: ({ shipment }) => {
      store(shipment);
    },
  });
}

export function useRemoveScan(shipmentId: string) {
  const store = useStoreShipment(shipmentId);
  return useMutation<Shipment, ApiError, string>({
    mutationFn: async (serial) =>
      (
        await api<{ shipment: Shipment }>(`${shipmentPath(shipmentId)}/scans/${encodeURIComponent(serial)}`, {
          method: 'DELETE',
        })
      ).shipment,
    onSuccess: (shipment) => {
      store(shipment);
    },
  });
}

/** Confirms until the API says finished (each call works up to 20 s and keeps its progress):
 * `progress` is what the last answer reported. */
export function useConfirm(shipmentId: string) {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<Shipment['progress'] | null>(null);
  const mutation = useMutation<Shipment, ApiError, undefined>({
    mutationFn: async () => {
      for (;;) {
        const body = await api<{ shipment: Shipment; finished: boolean }>(`${shipmentPath(shipmentId)}/confirm`, {
          method: 'POST',
        });
        setProgress(body.shipment.progress);
        if (body.finished || body.shipment.status !== 'confirming') return body.shipment;
      }
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['shipment', shipmentId] });
      void queryClient.invalidateQueries({ queryKey: ['shipments'] });
    },
  });
  return { ...mutation, progress };
}

export function useCancelShipment(shipmentId: string) {
  const queryClient = useQueryClient();
  return useMutation<{ shipment: Shipment; unshipped: number; kept: string[] }, ApiError, undefined>({
    mutationFn: () =>
      api<{ shipment: Shipment; unshipped: number; kept: string[] }>(`${shipmentPath(shipmentId)}/cancel`, {
        method: 'POST',
      }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['shipment', shipmentId] });
      void queryClient.invalidateQueries({ queryKey: ['shipments'] });
    },
  });
}

export function useReturnUnits(shipmentId: string) {
  const queryClient = useQueryClient();
  return useMutation<{ returned: string[]; refused: Refusal[] }, ApiError, string[]>({
    mutationFn: (serials) =>
      api<{ returned: string[]; refused: Refusal[] }>(`${shipmentPath(shipmentId)}/returns`, {
        method: 'POST',
        body: { serials },
      }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['shipment', shipmentId] });
    },
  });
}

export function useExportShipment(shipmentId: string) {
  return useMutation<{ url: string; filename: string; rows: number }, ApiError, undefined>({
    mutationFn: () =>
      api<{ url: string; filename: string; rows: number }>(`${shipmentPath(shipmentId)}/export`, { method: 'POST' }),
  });
}
