// Excel exports as jobs (docs/api.md "Export jobs"): a POST answers 202 with the job, then the
// job is read again every second until it is done (a download link) or failed.
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, type ApiError } from './client';

export interface ExportJob {
  export_id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  rows: number;
  created_at: string;
  finished_at: string | null;
  error: { code: string; messages: Record<string, string> } | null;
  download: { url: string; expires_at: string; filename: string } | null;
}

/** Start an export: `POST path` with `body` (202, the queued job). */
export function useStartExportJob<J extends ExportJob = ExportJob>(path: string) {
  return useMutation<J, ApiError, object | undefined>({
    mutationFn: (body) => api<J>(path, { method: 'POST', ...(body ? { body } : {}) }),
  });
}

/** A job's progress at `path` (null: none yet), asked again every second until it ends. */
export function useExportJob<J extends ExportJob = ExportJob>(path: string | null) {
  return useQuery<J, ApiError>({
    queryKey: ['export-job', path],
    queryFn: ({ signal }) => api<J>(path ?? '', { signal }),
    enabled: path !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'done' || status === 'failed' ? false : 1000;
    },
  });
}
