// Service requests (docs/api.md "Service requests"), one hook per resource: the board by state,
// the table, the caller's own (a technician's, a service company's), one request and the writes
// on it. Every write sends the `version` the page read; a 409 `claim_changed` reloads it.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, networkError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const CLAIM_STATES = [
  'new',
  'triaged',
  'quoted',
  'quote_accepted',
  'quote_declined',
  'routed',
  'accepted',
  'scheduled',
  'received',
  'diagnosing',
  'waiting_parts',
  'repairing',
  'repaired',
  'replaced',
  'no_fault_found',
  'rejected',
  'ready_for_return',
  'returned',
  'confirmed',
  'closed',
  'cancelled',
  'reopened',
] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];
export const CLAIM_TYPES = ['repair', 'warranty', 'installation', 'maintenance', 'complaint'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];
export const ROUTINGS = ['internal', 'outsourced'] as const;
export type Routing = (typeof ROUTINGS)[number];
export const VERDICTS = ['in_warranty', 'out_of_warranty', 'needs_inspection'] as const;
export type VerdictStatus = (typeof VERDICTS)[number];
export const COST_KINDS = ['part', 'labour', 'travel', 'revenue'] as const;
export const PAYERS = ['warranty', 'customer', 'supplier'] as const;

/** The desk files, routes and moves every request; the accountant reads (costs). */
export const DESK: readonly Role[] = ['admin', 'cs', 'director'];
/** Who reads the board and the table. */
export const READERS: readonly Role[] = [...DESK, 'accountant'];
/** Who sees a customer's phone in full (the desk calls customers; the others see a mask). */
export const PHONE_READERS: readonly Role[] = DESK;
export const NOTE_MAX = 1000;
export const PHOTOS_MAX = 6;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

// The moves that need a note (chalicelib/claims/states.py NOTE_REQUIRED): the API refuses
// without one; the form asks first.
const NOTE_MOVES = new Set(['routed>triaged', 'diagnosing>rejected', 'diagnosing>quoted', 'returned>reopened', 'confirmed>reopened', 'closed>reopened']);

export function needsNote(from: ClaimState, to: ClaimState): boolean {
  return to === 'cancelled' || NOTE_MOVES.has(`${from}>${to}`);
}

export const claimFilterNames = ['state', 'type', 'routing', 'assignee', 'from', 'to', 'breached', 'serial', 'phone'] as const;
export type ClaimFilters = Filters<(typeof claimFilterNames)[number]>;

export interface ClaimSummary {
  claim_id: string;
  version: number;
  claim_type: ClaimType;
  channel: string;
  state: ClaimState;
  state_since: string;
  ageing_hours: number;
  due_at: string | null;
  breached: boolean;
  serial: string;
  model_code: string;
  model_name: string;
  customer_name: string;
  customer_phone: string;
  customer_province: string;
  verdict: VerdictStatus | null;
  routing: Routing | null;
  assignee_key: string | null;
  assignee_name: string | null;
  expected_return: string | null;
  reopen_count: number;
  created_at: string;
  updated_at: string;
}

export interface Reason {
  code: string;
  params: Record<string, unknown>;
  message: string;
}

export interface Verdict {
  status: VerdictStatus;
  reasons: Reason[];
  rules_version: string;
  decided_at: string;
  override: { by: string; reason: string; status_before: VerdictStatus } | null;
}

export interface ClaimPhoto {
  key: string;
  state: string;
  by: string;
  at: string;
  url?: string | null;
}

export interface CostLine {
  line_id: string;
  kind: string;
  description: string;
  part_code: string | null;
  from_stock: boolean;
  quantity: number;
  amount_vnd: number;
  payer: string;
  by: string;
  at: string;
}

/** A message the customer was sent about the request (when the API lists them). */
export interface SentMessage {
  message_id?: string;
  kind: string;
  channel?: string;
  status?: string;
  at?: string;
  created_at?: string;
  text?: string;
}

export interface Claim extends Omit<ClaimSummary, 'verdict'> {
  category: string;
  customer: { name: string; phone: string; address: string; province: string; language: string };
  description: string;
  answers: Record<string, unknown>;
  preferred_time: string;
  verdict: Verdict | null;
  exclusions: { code: string; reason: string }[];
  appointment: string | null;
  quote_vnd: number | null;
  reopened_from: ClaimState | null;
  replacement_serial: string | null;
  rating: number | null;
  rating_note: string | null;
  customer_confirmed: boolean;
  photos: ClaimPhoto[];
  costs: CostLine[];
  totals: Record<string, number>;
  messages?: SentMessage[];
}

export interface HistoryEntry {
  seq: number;
  at: string;
  by: string;
  actor: string;
  action: string;
  from: ClaimState | null;
  to: ClaimState;
  note: string;
  changes: { field: string; before: string | null; after: string | null }[];
  visible: boolean;
}

export interface ClaimDetail {
  claim: Claim;
  history: HistoryEntry[];
  moves: ClaimState[];
  actor: 'desk' | 'assignee' | null;
  messages?: SentMessage[];
}

export interface BoardColumn {
  state: ClaimState;
  count: number;
  claims: ClaimSummary[];
  next_cursor: string | null;
}

interface ClaimsPage {
  claims: ClaimSummary[];
  next_cursor: string | null;
}

export function useClaims(filters: ClaimFilters, cursor: string) {
  return useQuery<CursorPage<ClaimSummary>, ApiError>({
    queryKey: ['claims', filters, cursor],
    queryFn: async ({ signal }) => {
      const { breached, ...rest } = filters;
      const body = await api<ClaimsPage>('/claims', { query: { ...rest, breached: breached ? 'true' : '', cursor }, signal });
      return { records: body.claims, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function useBoard() {
  return useQuery<BoardColumn[], ApiError>({
    queryKey: ['claims', 'board'],
    queryFn: async ({ signal }) => (await api<{ columns: BoardColumn[] }>('/claims/board', { signal })).columns,
  });
}

/** A column's next page (`GET /claims/board/{state}`), from the cursor of the page before. */
export function useColumnMore(state: ClaimState) {
  return useMutation<BoardColumn, ApiError, string>({
    mutationFn: (cursor) => api<BoardColumn>(`/claims/board/${state}`, { query: { cursor } }),
  });
}

export function useMine(cursor: string) {
  return useQuery<CursorPage<ClaimSummary>, ApiError>({
    queryKey: ['claims', 'mine', cursor],
    queryFn: async ({ signal }) => {
      const body = await api<ClaimsPage>('/claims/mine', { query: { cursor }, signal });
      return { records: body.claims, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export const claimPath = (claimId: string) => `/claims/${encodeURIComponent(claimId)}`;

export function useClaim(claimId: string) {
  return useQuery<ClaimDetail, ApiError>({
    queryKey: ['claim', claimId],
    queryFn: ({ signal }) => api<ClaimDetail>(claimPath(claimId), { signal }),
  });
}

/** A write on the request that answers its detail: the page shows the answer at once; on a
 * refusal (someone moved it first) the page reads it again. */
function useClaimWrite<V>(claimId: string, send: (value: V) => Promise<ClaimDetail>) {
  const queryClient = useQueryClient();
  return useMutation<ClaimDetail, ApiError, V>({
    mutationFn: send,
    onSuccess: (found) => {
      queryClient.setQueryData(['claim', claimId], found);
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: ['claim', claimId] });
    },
  });
}

export interface MoveBody {
  to: ClaimState;
  version: number;
  note?: string;
  expected_return?: string;
  appointment?: string;
  quote_vnd?: number;
}

export function useMove(claimId: string) {
  return useClaimWrite<MoveBody>(claimId, (body) => api<ClaimDetail>(`${claimPath(claimId)}/moves`, { method: 'POST', body }));
}

export interface RouteBody {
  routing: Routing;
  assignee: string;
  version: number;
  note?: string;
}

export function useRoute(claimId: string) {
  return useClaimWrite<RouteBody>(claimId, (body) => api<ClaimDetail>(`${claimPath(claimId)}/route`, { method: 'POST', body }));
}

export function useOverride(claimId: string) {
  return useClaimWrite<{ status: VerdictStatus; reason: string; version: number }>(claimId, (body) =>
    api<ClaimDetail>(`${claimPath(claimId)}/override`, { method: 'POST', body }),
  );
}

export interface CostBody {
  version: number;
  kind: string;
  description: string;
  amount_vnd: number;
  payer: string;
  quantity: number;
  part_code?: string;
}

export function useAddCost(claimId: string) {
  return useClaimWrite<CostBody>(claimId, (body) => api<ClaimDetail>(`${claimPath(claimId)}/costs`, { method: 'POST', body }));
}

export function useReplacement(claimId: string) {
  return useClaimWrite<{ new_serial: string; version: number }>(claimId, (body) =>
    api<ClaimDetail>(`${claimPath(claimId)}/replacement`, { method: 'POST', body }),
  );
}

export function useEditClaim(claimId: string) {
  return useClaimWrite<{ version: number; claim_type?: ClaimType; expected_return?: string; note?: string }>(claimId, (body) =>
    api<ClaimDetail>(claimPath(claimId), { method: 'PATCH', body }),
  );
}

interface PhotoUpload {
  key: string;
  upload: { url: string; headers: Record<string, string> };
}

/** Photos: a presigned PUT each (straight to the bucket, never through the API), then the
 * keys added to the request; the claims stream cleans them. */
export function useAddPhotos(claimId: string) {
  return useClaimWrite<File[]>(claimId, async (files) => {
    const keys: string[] = [];
    for (const file of files) {
      const started = await api<PhotoUpload>(`${claimPath(claimId)}/photos`, {
        method: 'POST',
        body: { content_type: file.type, size: file.size },
      });
      let put: Response;
      try {
        put = await fetch(started.upload.url, { method: 'PUT', headers: started.upload.headers, body: file });
      } catch {
        throw networkError();
      }
      if (!put.ok) throw networkError();
      keys.push(started.key);
    }
    return api<ClaimDetail>(`${claimPath(claimId)}/photos/done`, { method: 'POST', body: { keys } });
  });
}

export interface NewClaim {
  claim_type: ClaimType;
  serial: string;
  customer: { name: string; phone: string; address: string; province: string; language: string };
  description: string;
  preferred_time: string;
}

export function useFileClaim() {
  const queryClient = useQueryClient();
  return useMutation<ClaimDetail, ApiError, NewClaim>({
    mutationFn: (body) => api<ClaimDetail>('/claims', { method: 'POST', body }),
    onSuccess: (found) => {
      queryClient.setQueryData(['claim', found.claim.claim_id], found);
      void queryClient.invalidateQueries({ queryKey: ['claims'] });
    },
  });
}

export interface ServiceCenter {
  center_id: string;
  code: string;
  name: string;
  kind: 'internal' | 'partner';
  provinces: string[];
  status: string;
}

/** The active partner companies a request may be outsourced to (the service centres' registry). */
export function usePartnerCenters(enabled: boolean) {
  return useQuery<ServiceCenter[], ApiError>({
    queryKey: ['service-centers', 'active'],
    queryFn: async ({ signal }) => {
      const body = await api<{ centers: ServiceCenter[] }>('/service-centers', { query: { status: 'active', limit: 100 }, signal });
      return body.centers.filter((c) => c.kind === 'partner');
    },
    enabled,
    staleTime: 60_000,
  });
}

/** The usernames a request can be routed to internally (the staff with the technician role). */
export function useTechnicians(enabled: boolean) {
  return useQuery<string[], ApiError>({
    queryKey: ['claims', 'technicians'],
    queryFn: async ({ signal }) => (await api<{ technicians: string[] }>('/claims/technicians', { signal })).technicians,
    enabled,
    staleTime: 60_000,
  });
}

/** `+84912345678` → `0912 345 678`: how a Vietnamese phone is read aloud and dialled. */
export function localPhone(phone: string): string {
  const local = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
  return /^0\d{9}$/.test(local) ? `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}` : local;
}

/** `0912345678` / `+84912345678` → `091•••678`: who may not call the customer sees a mask. */
export function maskPhone(phone: string): string {
  const local = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone;
  return local.length < 7 ? '•••' : `${local.slice(0, 3)}•••${local.slice(-3)}`;
}

export { ApiError };
