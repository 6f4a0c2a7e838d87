// Customers' personal-data requests (docs/openapi.json `/privacy/requests`, docs/architecture.md
// "A customer's personal data"): the list by status, and the two ways staff close an open one;
// and the retention periods (`/privacy/retention`) a daily job applies.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';

export const PRIVACY_STATUSES = ['open', 'done', 'refused'] as const;
export type PrivacyStatus = (typeof PRIVACY_STATUSES)[number];
export const privacyFilterNames = ['status'] as const;

/** Who may erase or refuse (the API's guard); the director reads only. */
export const PRIVACY_HANDLERS: readonly Role[] = ['admin', 'cs'];
/** The parts of the system an erasure goes through, in the order the counts are shown. */
export const ERASED_SECTIONS = [
  'customer',
  'units',
  'claims',
  'maintenance',
  'messages',
  'zalo',
  'rewards',
  'codes',
  'inbound',
  'cases',
  'audit',
] as const;
export const REASON_MAX = 500;
/** The API answers up to 200 requests a call: the open ones fit (each is handled in 72 hours). */
const LIMIT = 200;

export interface PrivacyRequest {
  request_id: string;
  kind: 'erasure';
  status: PrivacyStatus;
  created_at: string;
  due_at: string;
  phone_masked: string;
  channel: string;
  language: string;
  overdue: boolean;
  handled_by: string | null;
  handled_at: string | null;
  reason: string | null;
  /** Items erased or pseudonymised per section (`{"units": 2}`), once done. */
  erased: Record<string, number>;
}

interface RequestsResponse {
  requests: PrivacyRequest[];
}

interface RequestResponse {
  request: PrivacyRequest;
}

export function statusOf(value: string): PrivacyStatus {
  return PRIVACY_STATUSES.find((status) => status === value) ?? 'open';
}

/** The requests of one status: open ones soonest deadline first, the others newest first. */
export function usePrivacyRequests(status: PrivacyStatus) {
  return useQuery<CursorPage<PrivacyRequest>, ApiError>({
    queryKey: ['privacy-requests', status],
    queryFn: async ({ signal }) => {
      const body = await api<RequestsResponse>('/privacy/requests', { query: { status, limit: LIMIT }, signal });
      return { records: body.requests, nextCursor: null };
    },
    // no placeholder: another tab's rows never show under this one's columns
  });
}

function path(requestId: string, action: 'erase' | 'refuse'): string {
  return `/privacy/requests/${encodeURIComponent(requestId)}/${action}`;
}

/** A change to a request: every list is read again afterwards, after an error too (a 409: someone
 * else closed it meanwhile, and the row moves). */
function useRequestChange<V>(call: (values: V) => Promise<RequestResponse>) {
  const queryClient = useQueryClient();
  return useMutation<PrivacyRequest, ApiError, V>({
    mutationFn: async (values) => (await call(values)).request,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['privacy-requests'] });
    },
  });
}

/** Erase the person everywhere and close the request (the answer carries the counts). */
export function useErase() {
  return useRequestChange((requestId: string) => api<RequestResponse>(path(requestId, 'erase'), { method: 'POST' }));
}

export function useRefuse() {
  return useRequestChange(({ requestId, reason }: { requestId: string; reason: string }) =>
    api<RequestResponse>(path(requestId, 'refuse'), { method: 'POST', body: { refusal_reason: reason } }),
  );
}

/** The kinds of item a retention period applies to, in the order the page shows them. */
export const RETENTION_KINDS = ['messages', 'claims', 'visits'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];
export type RetentionField = `${RetentionKind}_months`;
export type RetentionMonths = Record<RetentionField, number>;

/** Who reads the periods (the page's roles), who changes them (the API's guard). */
export const RETENTION_READERS: readonly Role[] = ['admin', 'cs', 'director'];
export const RETENTION_SETTERS: readonly Role[] = ['admin'];

export function retentionField(kind: RetentionKind): RetentionField {
  return `${kind}_months`;
}

export interface Retention extends RetentionMonths {
  /** Each period's lowest and highest value, in months (`[3, 120]`). */
  bounds: Record<RetentionField, [number, number]>;
  version: number;
  updated_by: string | null;
  updated_at: string | null;
}

const RETENTION_KEY = ['privacy-retention'] as const;

export function useRetention(enabled: boolean) {
  return useQuery<Retention, ApiError>({
    queryKey: RETENTION_KEY,
    queryFn: ({ signal }) => api<Retention>('/privacy/retention', { signal }),
    enabled,
  });
}

/** New periods over the version read: the answer replaces the page's; a 409 `retention_changed`
 * (someone saved meanwhile) reads the periods again. */
export function useSaveRetention() {
  const queryClient = useQueryClient();
  return useMutation<Retention, ApiError, RetentionMonths & { version: number }>({
    mutationFn: (body) => api<Retention>('/privacy/retention', { method: 'PUT', body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(RETENTION_KEY, saved);
    },
    onError: (error) => {
      if (error.code === 'retention_changed') void queryClient.invalidateQueries({ queryKey: RETENTION_KEY });
    },
  });
}
