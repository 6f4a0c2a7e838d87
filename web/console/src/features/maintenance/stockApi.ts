// Spare parts and stock (docs/api.md "Spare parts and stock"): the catalogue, the places, what
// is on hand, the movements; a ticket's parts are its own moves (ticketsApi).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';

export const KEEPERS: readonly Role[] = ['admin', 'cs', 'accountant'];
export const LOCATION_KINDS = ['warehouse', 'van', 'company'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
export const MOVE_KINDS = ['receipt', 'transfer', 'adjustment'] as const;
export type MoveKind = (typeof MOVE_KINDS)[number];

export interface Part {
  code: string;
  name: string;
  name_en: string;
  unit: string;
  cost_vnd: number;
  price_vnd: number;
  models: string[];
  min_stock: number;
  active: boolean;
  version: number;
  updated_by: string;
  updated_at: string | null;
}

export interface StockPlace {
  location_id: string;
  name: string;
  kind: LocationKind;
  holder: string | null;
}

export interface OnHandLine {
  location_id: string;
  part_code: string;
  name: string;
  name_en: string;
  unit: string;
  on_hand: number;
  min_stock: number;
  value_vnd: number;
  short: boolean;
}

export interface Movement {
  movement_id: string;
  kind: 'receipt' | 'issue' | 'return' | 'transfer' | 'adjustment';
  part_code: string;
  qty: number;
  from: string | null;
  to: string | null;
  at: string | null;
  by: string;
  reason: string;
  ticket_id: string | null;
  unit_cost_vnd: number;
}

export function useParts() {
  return useQuery<Part[], ApiError>({
    queryKey: ['parts'],
    queryFn: async ({ signal }) => (await api<{ parts: Part[] }>('/parts', { signal })).parts,
    staleTime: 30_000,
  });
}

export function usePlaces(enabled = true) {
  return useQuery<StockPlace[], ApiError>({
    queryKey: ['stock-places'],
    queryFn: async ({ signal }) => (await api<{ locations: StockPlace[] }>('/stock/locations', { signal })).locations,
    enabled,
    staleTime: 30_000,
  });
}

export function useStock(location: string, shortOnly: boolean) {
  return useQuery<{ lines: OnHandLine[]; value_vnd: number; short: number }, ApiError>({
    queryKey: ['stock', location, shortOnly],
    queryFn: ({ signal }) => api('/stock', { query: { location, short: shortOnly ? '1' : '' }, signal }),
  });
}

export function useMovements(part: string) {
  return useQuery<Movement[], ApiError>({
    queryKey: ['stock-movements', part],
    queryFn: async ({ signal }) => (await api<{ movements: Movement[] }>('/stock/movements', { query: { part }, signal })).movements,
    enabled: part !== '',
  });
}

export type PartBody = Omit<Part, 'code' | 'updated_by' | 'updated_at'>;

export function useSavePart() {
  const queryClient = useQueryClient();
  return useMutation<Part, ApiError, { code: string; body: PartBody }>({
    mutationFn: ({ code, body }) => api<Part>(`/parts/${encodeURIComponent(code)}`, { method: 'PUT', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['parts'] });
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
    },
  });
}

export function useAddPlace() {
  const queryClient = useQueryClient();
  return useMutation<StockPlace, ApiError, StockPlace>({
    mutationFn: (body) => api<StockPlace>('/stock/locations', { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['stock-places'] });
    },
  });
}

export interface MoveBody {
  kind: MoveKind;
  part_code: string;
  qty: number;
  from?: string;
  to?: string;
  reason?: string;
  unit_cost_vnd?: number;
}

export function useMove() {
  const queryClient = useQueryClient();
  return useMutation<Movement, ApiError, MoveBody>({
    mutationFn: (body) => api<Movement>('/stock/movements', { method: 'POST', body }),
    onSuccess: (movement) => {
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
      void queryClient.invalidateQueries({ queryKey: ['stock-movements', movement.part_code] });
    },
  });
}

/** The places an assignee takes parts from: a technician a warehouse or their own van, a
 * partner company's user its own place (the API lists it only); the desk any. */
export function placesFor(places: StockPlace[], who: { desk: boolean; username: string; company: boolean }): StockPlace[] {
  if (who.desk) return places;
  return places.filter((p) => (who.company ? p.kind === 'company' : p.holder === null || p.holder === `tech#${who.username}`));
}

export function partName(part: { name: string; name_en: string }, language: string): string {
  return language !== 'vi' && part.name_en ? part.name_en : part.name;
}
