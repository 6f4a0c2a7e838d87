// Cartons (docs/api.md "Cartons (packing)"): the list, one carton with its units, packing a
// scanned serial, taking a unit out, closing, and the carton's label (a label job).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';

const POLL_MS = 1000;

export interface ModelCount {
  model_code: string;
  units: number;
}

export interface Carton {
  code: string;
  sscc: boolean;
  label_text: string;
  status: 'open' | 'closed';
  source: 'packed' | 'imported';
  units: number;
  models: ModelCount[];
  created_at: string;
  created_by: string;
  closed_at: string | null;
  closed_by: string | null;
}

export interface CartonUnit {
  serial: string;
  model_code: string;
  status: string;
  shipment_id: string | null;
}

export interface CartonDetail extends Carton {
  unit_list: CartonUnit[];
}

export interface PackAnswer {
  carton: Carton;
  unit: CartonUnit;
  already: boolean;
}

export interface CartonLabelJob {
  job_id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: { code: string; messages: { vi: string; en: string } } | null;
  download: { url: string; expires_at: string; filename: string } | null;
}

interface CartonsResponse {
  cartons: Carton[];
  next_cursor: string | null;
}

function path(code: string): string {
  return `/cartons/${encodeURIComponent(code)}`;
}

export function useCartons(cursor: string, status: string) {
  return useQuery<CursorPage<Carton>, ApiError>({
    queryKey: ['cartons', status, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<CartonsResponse>('/cartons', { query: { cursor, status }, signal });
      return { records: body.cartons, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function useCarton(code: string) {
  return useQuery<CartonDetail, ApiError>({
    queryKey: ['carton', code],
    queryFn: ({ signal }) => api<CartonDetail>(path(code), { signal }),
  });
}

/** A new open carton: under the typed code, or (empty) the next generated SSCC. */
export function useCreateCarton() {
  const queryClient = useQueryClient();
  return useMutation<Carton, ApiError, string>({
    mutationFn: (code) => api<Carton>('/cartons', { method: 'POST', body: code ? { code } : {} }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['cartons'] });
    },
  });
}

function useCartonChange<TVariables, TAnswer>(code: string, call: (variables: TVariables) => Promise<TAnswer>) {
  const queryClient = useQueryClient();
  return useMutation<TAnswer, ApiError, TVariables>({
    mutationFn: call,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['carton', code] });
      void queryClient.invalidateQueries({ queryKey: ['cartons'] });
    },
  });
}

export function usePack(code: string) {
  return useCartonChange(code, (serial: string) =>
    api<PackAnswer>(`${path(code)}/units`, { method: 'POST', body: { serial } }),
  );
}

export function useUnpack(code: string) {
  return useCartonChange(code, (serial: string) =>
    api<Carton>(`${path(code)}/units/${encodeURIComponent(serial)}`, { method: 'DELETE' }),
  );
}

export function useCloseCarton(code: string) {
  return useCartonChange(code, () => api<Carton>(`${path(code)}/close`, { method: 'POST' }));
}

export function usePrintLabel() {
  return useMutation<CartonLabelJob, ApiError, string>({
    mutationFn: (code) => api<CartonLabelJob>('/labels/cartons', { method: 'POST', body: { codes: [code] } }),
  });
}

/** A carton label job, polled every second until it ends. */
export function useLabelJob(jobId: string | null) {
  return useQuery<CartonLabelJob, ApiError>({
    queryKey: ['carton-label', jobId],
    queryFn: ({ signal }) => api<CartonLabelJob>(`/labels/cartons/${encodeURIComponent(jobId ?? '')}`, { signal }),
    enabled: jobId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'done' || status === 'failed' ? false : POLL_MS;
    },
    staleTime: 0,
  });
}
