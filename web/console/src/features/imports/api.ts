// Unit imports (docs/api.md "POST /units/imports"): ask for the upload link, PUT the file straight
// to the bucket (XHR, for its progress), start the job, then follow it until it ends.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ApiError, networkError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';
import i18n, { currentLanguage } from '../../i18n';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024; // the API's cap (chalicelib/catalog/import_jobs.py)
export const ACCEPTED_FILES = {
  'text/csv': ['.csv'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
};
/** The columns the import reads, as a template file to fill in (CSV, UTF-8). */
export const TEMPLATE_CSV = 'serial,model_code,batch,manufactured_on\nAB-1001,AC-9,LOT-2026-01,2026-01-15\n';
const ACTIVE = new Set(['uploading', 'queued', 'running']);
const POLL_MS = 1000;

export interface Messages {
  vi: string;
  en: string;
}

export interface RejectedLine {
  line: number;
  serial: string;
  model_code: string;
  reason: string;
  messages: Messages;
}

export interface UnitImport {
  import_id: string;
  filename: string;
  kind: 'csv' | 'xlsx';
  size_bytes: number;
  status: 'uploading' | 'queued' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  imported: number;
  rejected: number;
  progress: number;
  first_rejected: RejectedLine[];
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: { code: string; messages: Messages } | null;
  report: { url: string; expires_at: string; filename: string } | null;
  report_expired: boolean;
}

interface UploadLink {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expires_at: string;
}

interface NewUnitImport extends UnitImport {
  upload: UploadLink;
}

interface ImportsResponse {
  imports: UnitImport[];
  next_cursor: string | null;
}

export function isActive(job: UnitImport | undefined): boolean {
  return job !== undefined && (job.status === 'queued' || job.status === 'running');
}

export function inLanguage(messages: Messages): string {
  return currentLanguage() === 'vi' ? messages.vi : messages.en;
}

export function useImports(cursor: string) {
  return useQuery<CursorPage<UnitImport>, ApiError>({
    queryKey: ['imports', cursor],
    queryFn: async ({ signal }) => {
      const body = await api<ImportsResponse>('/units/imports', { query: { cursor }, signal });
      return { records: body.imports, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
    // a running import in the list moves on by itself
    refetchInterval: (query) =>
      query.state.data?.records.some((job) => ACTIVE.has(job.status) && job.status !== 'uploading')
        ? POLL_MS * 3
        : false,
  });
}

/** One import, polled every second while it is queued or running. */
export function useImport(importId: string) {
  return useQuery<UnitImport, ApiError>({
    queryKey: ['import', importId],
    queryFn: ({ signal }) => api<UnitImport>(`/units/imports/${encodeURIComponent(importId)}`, { signal }),
    refetchInterval: (query) => (isActive(query.state.data) ? POLL_MS : false),
    staleTime: 0,
  });
}

/** The file's bytes to the presigned link; `onProgress` gets 0…1 as the browser sends them. */
function putFile(upload: UploadLink, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(request.status, 'upload_failed', i18n.t('imports.upload_failed')));
      }
    };
    request.onerror = () => {
      reject(networkError());
    };
    request.send(file);
  });
}

export interface ImportRequest {
  file: File;
  onProgress: (fraction: number) => void;
}

/** Create the import, upload its file, start it: the started import. */
export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation<UnitImport, ApiError, ImportRequest>({
    mutationFn: async ({ file, onProgress }) => {
      const created = await api<NewUnitImport>('/units/imports', {
        method: 'POST',
        body: { filename: file.name, size_bytes: file.size },
      });
      await putFile(created.upload, file, onProgress);
      return api<UnitImport>(`/units/imports/${encodeURIComponent(created.import_id)}/start`, {
        method: 'POST',
      });
    },
    onSuccess: (job) => {
      queryClient.setQueryData(['import', job.import_id], job);
      void queryClient.invalidateQueries({ queryKey: ['imports'] });
    },
  });
}
