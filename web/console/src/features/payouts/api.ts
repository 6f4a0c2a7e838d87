// The accountant's payout routes (docs/api.md "Payouts: the accountant's batches"), one hook per
// resource. Amounts are integer VND.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';

/** Who may confirm settings, make batches, export and mark lines (the director reads). */
export const PAYOUT_WRITERS: readonly Role[] = ['admin', 'accountant'];

export interface PayoutSetting {
  version: number;
  rate_bp: number;
  threshold: number;
  effective_from: string;
  confirmed_by: string;
  confirmed_at: string;
  note: string;
}

export interface PayoutSettings {
  current: PayoutSetting | null;
  versions: PayoutSetting[];
}

export type BatchState = 'creating' | 'open' | 'exported' | 'closed';
export type LineState = 'planned' | 'pending' | 'paid' | 'failed' | 'dropped';

export interface PayoutBatch {
  batch_id: string;
  state: BatchState;
  created_at: string;
  created_by: string;
  periods: string[];
  setting: { version: number; rate_bp: number; threshold: number; effective_from: string };
  lines: number;
  entries: number;
  gross: number;
  tax: number;
  net: number;
  paid: number;
  failed: number;
  carried: number;
  exported_at: string | null;
  exported_by: string | null;
  closed_at: string | null;
}

export interface PayoutLine {
  partner_id: string;
  name: string;
  bank: { bin: string; short_name: string };
  account_number: string;
  account_holder: string;
  commitment: boolean;
  state: LineState;
  entries: number;
  gross: number;
  tax: number;
  net: number;
  reference: string | null;
  reason: string | null;
  settled_by: string | null;
  settled_at: string | null;
}

export interface BatchDetail {
  batch: PayoutBatch;
  lines: PayoutLine[];
}

export interface Preview {
  setting: PayoutSetting;
  periods: string[];
  lines: PayoutLine[];
  carried: { partner_id: string; gross: number; reason: 'net_not_positive' | 'no_partner' }[];
  totals: { lines: number; entries: number; gross: number; tax: number; net: number };
}

export interface SettingForm {
  rate_bp: number;
  threshold: number;
  effective_from: string;
  note: string;
}

export const NOTE_MAX = 500;
export const REFERENCE_MAX = 64;

/** `1000` basis points → `10` (%). */
export function percent(rateBp: number): string {
  return (rateBp / 100).toLocaleString(undefined, { maximumFractionDigits: 2 });
}

/** The withholding settings; `enabled: false` for a role the API refuses them to. */
export function usePayoutSettings(enabled = true) {
  return useQuery<PayoutSettings, ApiError>({
    queryKey: ['payout-settings'],
    queryFn: ({ signal }) => api<PayoutSettings>('/payouts/settings', { signal }),
    enabled,
  });
}

export function useConfirmSetting() {
  const queryClient = useQueryClient();
  return useMutation<{ setting: PayoutSetting }, ApiError, SettingForm>({
    mutationFn: (body) => api('/payouts/settings', { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['payout-settings'] });
    },
  });
}

export function usePayoutBatches() {
  return useQuery<CursorPage<PayoutBatch>, ApiError>({
    queryKey: ['payouts'],
    queryFn: async ({ signal }) => {
      const body = await api<{ batches: PayoutBatch[] }>('/payouts', { signal });
      return { records: body.batches, nextCursor: null }; // the newest 25: no paging
    },
  });
}

export function usePreview() {
  return useMutation<Preview, ApiError, undefined>({
    mutationFn: () => api<Preview>('/payouts/preview', { method: 'POST', body: {} }),
  });
}

export function useCreateBatch() {
  const queryClient = useQueryClient();
  return useMutation<BatchDetail, ApiError, undefined>({
    mutationFn: () => api<BatchDetail>('/payouts', { method: 'POST', body: {} }),
    onSuccess: (detail) => {
      queryClient.setQueryData(['payout', detail.batch.batch_id], detail);
      void queryClient.invalidateQueries({ queryKey: ['payouts'] });
    },
  });
}

export function usePayoutBatch(batchId: string) {
  return useQuery<BatchDetail, ApiError>({
    queryKey: ['payout', batchId],
    queryFn: ({ signal }) => api<BatchDetail>(`/payouts/${encodeURIComponent(batchId)}`, { signal }),
  });
}

/** The batch's lines as a list (the same query as the batch: one request). */
export function usePayoutLines(batchId: string) {
  return useQuery<BatchDetail, ApiError, CursorPage<PayoutLine>>({
    queryKey: ['payout', batchId],
    queryFn: ({ signal }) => api<BatchDetail>(`/payouts/${encodeURIComponent(batchId)}`, { signal }),
    select: (detail) => ({ records: detail.lines.filter((l) => l.state !== 'dropped'), nextCursor: null }),
  });
}

export function useExportBatch(batchId: string) {
  const queryClient = useQueryClient();
  return useMutation<{ rows: number; filename: string; url: string }, ApiError, undefined>({
    mutationFn: () => api(`/payouts/${encodeURIComponent(batchId)}/export`, { method: 'POST' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['payout', batchId] });
      void queryClient.invalidateQueries({ queryKey: ['payouts'] });
    },
  });
}

export interface Settlement {
  partnerId: string;
  outcome: 'paid' | 'failed';
  text: string;
}

export function useSettleLine(batchId: string) {
  const queryClient = useQueryClient();
  return useMutation<BatchDetail, ApiError, Settlement>({
    mutationFn: ({ partnerId, outcome, text }) =>
      api<BatchDetail>(`/payouts/${encodeURIComponent(batchId)}/lines/${encodeURIComponent(partnerId)}/${outcome}`, {
        method: 'POST',
        body: outcome === 'paid' ? { reference: text } : { reason: text },
      }),
    onSuccess: (detail) => {
      queryClient.setQueryData(['payout', batchId], detail);
      void queryClient.invalidateQueries({ queryKey: ['payouts'] });
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: ['payout', batchId] });
    },
  });
}
