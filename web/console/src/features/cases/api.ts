// The staff's side of the partners' cases (docs/api.md "Partners' cases"), one hook per
// resource, and a staff photo's upload (a presigned PUT straight to the bucket).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, networkError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const CASE_STATUSES = ['open', 'answered', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_KINDS = ['service', 'complaint'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Who may answer and close (the API's roles); a director reads. */
export const CASE_ANSWERERS: readonly Role[] = ['admin', 'cs', 'technician'];
/** A technician sees service cases only. */
export function kindsFor(roles: readonly Role[]): readonly CaseKind[] {
  return roles.some((r) => r === 'admin' || r === 'cs' || r === 'director') ? CASE_KINDS : ['service'];
}

export const NOTE_MAX = 2000;
export const PHOTOS_MAX = 5;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const caseFilterNames = ['status', 'kind'] as const;
export type CaseFilters = Filters<(typeof caseFilterNames)[number]>;

export interface CaseSummary {
  case_id: string;
  kind: CaseKind;
  serial: string;
  subject: string;
  status: CaseStatus;
  created_at: string;
  updated_at: string;
  note_count: number;
  last_by: 'partner' | 'staff';
  partner: { partner_id: string; name: string };
}

export interface CasePhoto {
  key: string;
  url: string;
}

export interface CaseNote {
  number: number;
  at: string;
  author: { role: 'partner' | 'staff'; username?: string };
  text: string;
  photos: CasePhoto[];
}

export interface CaseDetail extends Omit<CaseSummary, 'note_count' | 'last_by'> {
  notes: CaseNote[];
  closed_by: string | null;
}

export function useCases(filters: CaseFilters, cursor: string) {
  return useQuery<CursorPage<CaseSummary>, ApiError>({
    queryKey: ['cases', filters, cursor],
    queryFn: async ({ signal }) => {
      const query: Record<string, string> = { status: filters.status || 'open', cursor };
      if (filters.kind) query.kind = filters.kind;
      const body = await api<{ cases: CaseSummary[]; next_cursor: string | null }>('/cases', { query, signal });
      return { records: body.cases, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

const casePath = (caseId: string) => `/cases/${encodeURIComponent(caseId)}`;

export function useCase(caseId: string) {
  return useQuery<CaseDetail, ApiError>({
    queryKey: ['case', caseId],
    queryFn: async ({ signal }) => (await api<{ case: CaseDetail }>(casePath(caseId), { signal })).case,
  });
}

interface PhotoUpload {
  key: string;
  upload: { url: string; headers: Record<string, string> };
}

/** One photo: a presigned PUT from the API, the file straight to the bucket, then the API
 * checks it and keeps it without metadata; returns its key for the answer. */
async function uploadPhoto(file: File): Promise<string> {
  const started = await api<PhotoUpload>('/cases/photos', {
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
  const done = await api<{ photo: CasePhoto }>('/cases/photos/done', { method: 'POST', body: { key: started.key } });
  return done.photo.key;
}

function useCaseChange<V>(caseId: string, send: (value: V) => Promise<CaseDetail>) {
  const queryClient = useQueryClient();
  return useMutation<CaseDetail, ApiError, V>({
    mutationFn: send,
    onSuccess: (found) => {
      queryClient.setQueryData(['case', caseId], found);
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
    onError: () => {
      // someone else may have answered or closed it first: show what it is now
      void queryClient.invalidateQueries({ queryKey: ['case', caseId] });
    },
  });
}

/** The answer: its photos uploaded one by one, then the note. */
export function useAnswerCase(caseId: string) {
  return useCaseChange<{ text: string; files: File[] }>(caseId, async ({ text, files }) => {
    const photos: string[] = [];
    for (const file of files) photos.push(await uploadPhoto(file));
    const body = await api<{ case: CaseDetail }>(`${casePath(caseId)}/notes`, { method: 'POST', body: { text, photos } });
    return body.case;
  });
}

export function useCloseCase(caseId: string) {
  return useCaseChange<undefined>(caseId, async () => {
    const body = await api<{ case: CaseDetail }>(`${casePath(caseId)}/close`, { method: 'POST' });
    return body.case;
  });
}
