// The units' staff routes (docs/api.md "GET /units", "POST /units/exports"), one hook per
// resource.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, apiBlob } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const UNIT_STATUSES = ['registered', 'shipped', 'activated', 'void'] as const;
export const unitFilterNames = ['serial', 'model', 'batch', 'status', 'activated_from', 'activated_to'] as const;
export type UnitFilters = Filters<(typeof unitFilterNames)[number]>;

export interface UnitRow {
  serial: string;
  model_code: string;
  status: string;
  warranty_status: string;
  batch: string;
  manufactured_on: string | null;
  created_at: string | null;
  activated_at: string | null;
  warranty_end: string | null;
  owner_name_masked: string | null;
  owner_phone_masked: string | null;
}

export interface UnitEvent {
  at: string;
  event: string;
  by: string | null;
  note: string | null;
}

export interface UnitDetail {
  serial: string;
  model_code: string;
  status: string;
  warranty_status: string;
  batch: string | null;
  manufactured_on: string | null;
  shipped_on: string | null;
  shipment_id: string | null; // the shipment it is in (null: never shipped, returned, cancelled)
  shipment_document: string | null; // that shipment's delivery note number
  dealer: { dealer_id: string; name: string | null } | null;
  carton: string | null;
  created_at: string | null;
  qr_url: string;
  certificate_url: string | null;
  activation: {
    activated_at: string;
    channel: string;
    warranty_start: string;
    warranty_end: string;
    warranty_basis: string;
    customer: { name_masked: string; phone_masked: string; province: string };
  } | null;
  history: UnitEvent[];
}

/** ``GET /units/{serial}/warranty-history``: who activated, installed and sold the unit, the
 * units it replaced or was replaced by, and every service request with its outcome. */
export interface WarrantyHistory {
  serial: string;
  activated_at: string | null;
  customer: { name: string; phone: string } | null;
  installer: { name: string; phone: string; installed_on: string | null; store: string | null } | null;
  store: { dealer_id: string; name: string } | null;
  replaces: string | null;
  replaced_by: string | null;
  replaced_on: string | null;
  claims: {
    claim_id: string;
    claim_type: string;
    state: string;
    created_at: string;
    verdict: string | null;
    outcome: string | null;
    replacement_serial: string | null;
    reopen_count: number;
  }[];
}

export interface UnitOwner {
  serial: string;
  name: string;
  phone: string;
  province: string;
  address: string;
}

export interface ProductModel {
  code: string;
  name: string;
  category: string; // "" = none
  category_en: string;
}

export interface Brand {
  serial_prefix: string;
  serials_issued: number;
}

export interface Generated {
  generated: number;
  serials: string[];
  rejected: { serial: string; reason: string }[];
}

export interface GenerateRequest {
  model_code: string;
  count: number;
  batch: string;
  manufactured_on: string | null;
}

export function useUnits(filters: UnitFilters, cursor: string) {
  return useQuery<CursorPage<UnitRow>, ApiError>({
    queryKey: ['units', filters, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<{ units: UnitRow[]; next_cursor: string | null }>('/units', {
        query: { ...filters, cursor },
        signal,
      });
      return { records: body.units, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function useUnit(serial: string) {
  return useQuery<UnitDetail, ApiError>({
    queryKey: ['unit', serial],
    queryFn: ({ signal }) => api<UnitDetail>(`/units/${encodeURIComponent(serial)}`, { signal }),
  });
}

export function useWarrantyHistory(serial: string) {
  return useQuery<WarrantyHistory, ApiError>({
    queryKey: ['unit', serial, 'warranty-history'],
    queryFn: ({ signal }) =>
      api<WarrantyHistory>(`/units/${encodeURIComponent(serial)}/warranty-history`, { signal }),
  });
}

/** The owner in full: each call is recorded on the unit's audit trail, so it is a mutation
 * (asked for by a click), never a query that refetches by itself. */
export function useRevealOwner(serial: string) {
  return useMutation<UnitOwner, ApiError>({
    mutationFn: () => api<UnitOwner>(`/units/${encodeURIComponent(serial)}/owner`, { method: 'POST' }),
  });
}

export function useModels() {
  return useQuery<ProductModel[], ApiError>({
    // not catalog's ['models'] (a page of records, not a list): one key, one shape; its
    // invalidations of ['models'] still reach this one
    queryKey: ['models', 'list'],
    queryFn: async ({ signal }) => (await api<{ models: ProductModel[] }>('/models', { signal })).models,
    staleTime: 60_000,
  });
}

export function useBrand() {
  return useQuery<Brand, ApiError>({
    queryKey: ['brand'],
    queryFn: ({ signal }) => api<Brand>('/brand', { signal }),
  });
}

export function useGenerateUnits() {
  return useMutation<Generated, ApiError, GenerateRequest>({
    mutationFn: (request) => api<Generated>('/units/generate', { method: 'POST', body: request }),
  });
}

/** The unit's QR code as an object URL: an <img> cannot send the bearer token, so the image
 * is fetched with it and shown from memory (revoked when the page leaves). */
export function useQrImage(serial: string, format: 'svg' | 'png') {
  return useQuery<Blob, ApiError>({
    queryKey: ['unit-qr', serial, format],
    queryFn: () =>
      apiBlob(
        `/units/${encodeURIComponent(serial)}/qr.${format}`,
        format === 'svg' ? 'image/svg+xml' : 'image/png',
      ),
    staleTime: Infinity,
  });
}

export function downloadQr(serial: string, format: 'svg' | 'png'): Promise<void> {
  return apiBlob(
    `/units/${encodeURIComponent(serial)}/qr.${format}`,
    format === 'svg' ? 'image/svg+xml' : 'image/png',
  ).then((blob) => {
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${serial}.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  });
}

/** Luhn mod 36 over the serial's body: the generated serials' check character
 * (chalicelib/catalog/serials.py), to show the next serials before they are made. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export function checkCharacter(body: string): string {
  const n = ALPHABET.length;
  let factor = 2;
  let total = 0;
  for (let index = body.length - 1; index >= 0; index -= 1) {
    const addend = factor * ALPHABET.indexOf(body.charAt(index));
    factor = factor === 2 ? 1 : 2;
    total += Math.floor(addend / n) + (addend % n);
  }
  return ALPHABET[(n - (total % n)) % n] ?? '0';
}

export function generatedSerial(prefix: string, sequence: number): string {
  const body = `${prefix}${String(sequence).padStart(8, '0')}`;
  return body + checkCharacter(body);
}
