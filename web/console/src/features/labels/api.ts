// The labels' staff routes (docs/api.md "QR stickers and label sheets"), one hook per resource.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';

export const TEXT_FIELDS = ['serial', 'brand', 'instruction', 'custom'] as const;
export const ALIGNS = ['left', 'center', 'right'] as const;
export const LANGS = ['vi', 'en'] as const;
export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export const MAX_TEXTS = 8;
/** As the API's template names: 2–40 of `a-z 0-9 . -`, starting with a letter or digit. */
export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9.-]{1,39}$/;

export interface TextBox {
  field: (typeof TEXT_FIELDS)[number];
  x_mm: number;
  y_mm: number;
  width_mm: number;
  font_pt: number;
  bold: boolean;
  align: (typeof ALIGNS)[number];
  max_lines: number;
  min_font_pt?: number;
  lang?: (typeof LANGS)[number];
  text?: string;
}

export interface Stock {
  kind: 'sheet' | 'roll';
  page_width_mm?: number;
  page_height_mm?: number;
  margin_top_mm?: number;
  margin_left_mm?: number;
  gap_x_mm?: number;
  gap_y_mm?: number;
  columns?: number;
  rows?: number;
  outline: boolean;
}

export interface TemplateBody {
  label: {
    width_mm: number;
    height_mm: number;
    qr: { x_mm: number; y_mm: number; size_mm: number };
    texts: TextBox[];
  };
  stock: Stock;
}

export interface Template extends TemplateBody {
  name: string;
  builtin: boolean;
  per_page: number;
  columns: number;
  rows: number;
}

export type PreviewKind = 'label' | 'sheet';

export interface Preview {
  what: PreviewKind;
  svg: string;
  labels: number;
  width_mm: number;
  height_mm: number;
  per_page: number;
  columns: number;
  rows: number;
}

export interface LabelJob {
  job_id: string;
  status: (typeof JOB_STATUSES)[number];
  template: string;
  selection: { batch?: string; from_serial?: string; to_serial?: string; serials?: number; cartons?: string[] };
  total: number;
  done: number;
  skipped: number;
  skipped_sample: string[];
  progress: number;
  pages: number | null;
  size_bytes: number | null;
  attempts: number;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: { code: string; messages: Record<string, string> } | null;
  download: { url: string; expires_at: string; filename: string } | null;
  file_expired: boolean;
}

export type JobSelection =
  | { kind: 'batch'; batch: string }
  | { kind: 'range'; from_serial: string; to_serial: string }
  | { kind: 'file'; file: File };

export interface NewJob {
  template: string;
  selection: JobSelection;
  stock: Stock | null;
}

const POLL_MS = 1500;

export function isRunning(job: LabelJob): boolean {
  return job.status === 'queued' || job.status === 'running';
}

/** Every template, built-in first (one page: a brand has at most 30 of its own). */
export function useTemplates() {
  return useQuery<CursorPage<Template>, ApiError>({
    queryKey: ['labels', 'templates'],
    queryFn: async ({ signal }) => {
      const body = await api<{ templates: Template[] }>('/labels/templates', { signal });
      return { records: body.templates, nextCursor: null };
    },
  });
}

export function useTemplate(name: string) {
  return useQuery<Template, ApiError>({
    queryKey: ['labels', 'template', name],
    queryFn: ({ signal }) => api<Template>(`/labels/templates/${encodeURIComponent(name)}`, { signal }),
    enabled: name !== '',
  });
}

/** The preview of `body` (null: nothing valid to draw yet; the last drawing stays shown). */
export function usePreview(body: TemplateBody | null, what: PreviewKind) {
  return useQuery<Preview, ApiError>({
    queryKey: ['labels', 'preview', what, body],
    queryFn: ({ signal }) => api<Preview>('/labels/preview', { method: 'POST', body: { ...body, what }, signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
}

export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation<Template, ApiError, { name: string; body: TemplateBody }>({
    mutationFn: ({ name, body }) =>
      api<Template>(`/labels/templates/${encodeURIComponent(name)}`, { method: 'PUT', body }),
    onSuccess: (template) => {
      queryClient.setQueryData(['labels', 'template', template.name], template);
      void queryClient.invalidateQueries({ queryKey: ['labels', 'templates'] });
    },
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, string>({
    mutationFn: (name) => api(`/labels/templates/${encodeURIComponent(name)}`, { method: 'DELETE' }),
    onSuccess: (_, name) => {
      queryClient.removeQueries({ queryKey: ['labels', 'template', name] });
      void queryClient.invalidateQueries({ queryKey: ['labels', 'templates'] });
    },
  });
}

/** The brand's jobs, newest first; asked again every 1.5 s while one of them runs. */
export function useJobs(cursor: string) {
  return useQuery<CursorPage<LabelJob>, ApiError>({
    queryKey: ['labels', 'jobs', cursor],
    queryFn: async ({ signal }) => {
      const body = await api<{ jobs: LabelJob[]; next_cursor: string | null }>('/labels/jobs', {
        query: { cursor },
        signal,
      });
      return { records: body.jobs, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.records.some(isRunning) ? POLL_MS : false),
  });
}

/** One job; asked again every 1.5 s until it ends (then with its download link). */
export function useJob(jobId: string) {
  return useQuery<LabelJob, ApiError>({
    queryKey: ['labels', 'job', jobId],
    queryFn: ({ signal }) => api<LabelJob>(`/labels/jobs/${encodeURIComponent(jobId)}`, { signal }),
    refetchInterval: (query) => (query.state.data && isRunning(query.state.data) ? POLL_MS : false),
    staleTime: 0,
  });
}

export function useCreateJob() {
  const queryClient = useQueryClient();
  return useMutation<LabelJob, ApiError, NewJob>({
    mutationFn: ({ template, selection, stock }) => {
      if (selection.kind === 'file') {
        // the API reads a list of serials as a CSV body, the template in the query
        return api<LabelJob>('/labels/jobs', {
          method: 'POST',
          raw: { type: 'text/csv', data: selection.file },
          query: { template },
        });
      }
      const chosen =
        selection.kind === 'batch'
          ? { batch: selection.batch }
          : { from_serial: selection.from_serial, to_serial: selection.to_serial };
      return api<LabelJob>('/labels/jobs', {
        method: 'POST',
        body: { template, ...chosen, ...(stock ? { stock } : {}) },
      });
    },
    onSuccess: (job) => {
      queryClient.setQueryData(['labels', 'job', job.job_id], job);
      void queryClient.invalidateQueries({ queryKey: ['labels', 'jobs'] });
    },
  });
}

/** A fresh download link (the list carries none; a link lives 15 minutes). */
export function fetchJob(jobId: string): Promise<LabelJob> {
  return api<LabelJob>(`/labels/jobs/${encodeURIComponent(jobId)}`);
}
