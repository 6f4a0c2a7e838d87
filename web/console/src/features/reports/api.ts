// The warranty reports (docs/api.md "GET /reports/{kind}"): read from the roll-ups the units and
// claims streams keep; the query key is the URL's filters.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';

export const REPORT_READERS: readonly Role[] = ['admin', 'cs', 'director', 'accountant'];
export const REPORT_KINDS = ['activations', 'claims', 'costs', 'parts', 'maintenance'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FILTERS = ['kind', 'until', 'months', 'model', 'dealer', 'province', 'channel'] as const;
export type ReportFilters = Record<(typeof REPORT_FILTERS)[number], string>;
export const PERIODS = ['3', '6', '12', '24'] as const;
export const CHANNELS = ['web', 'sms', 'zalo', 'dealer', 'partner', 'portal', 'console'] as const;

export type Figure = number | null;
export type Row = Record<string, string | Figure>;

export interface ReportTable {
  name: string;
  keys: string[];
  columns: string[];
  rows: Row[];
}

export interface Report {
  kind: ReportKind;
  months: string[];
  totals: Record<string, Figure>;
  tables: ReportTable[];
  names: {
    models: Record<string, { name: string; name_en: string }>;
    dealers: Record<string, { code: string; name: string }>;
    collectors: Record<string, string>;
  };
  reads: number;
}

export interface ReportExport {
  rows: number;
  filename: string;
  url: string;
}

/** `YYYY-MM` of the month `back` months before `month` (this one by default). */
export function monthBack(back: number, month?: string): string {
  const now = month ? new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1) : new Date();
  const day = new Date(now.getFullYear(), now.getMonth() - back, 1);
  return `${String(day.getFullYear())}-${String(day.getMonth() + 1).padStart(2, '0')}`;
}

/** The API's query: the period as `from`–`until`, and the filters that are set. */
export function reportQuery(filters: ReportFilters): Record<string, string> {
  const until = filters.until || monthBack(0);
  const months = PERIODS.includes(filters.months as (typeof PERIODS)[number]) ? Number(filters.months) : 12;
  const query: Record<string, string> = { from: monthBack(months - 1, until), until };
  for (const name of ['model', 'dealer', 'province', 'channel'] as const) if (filters[name]) query[name] = filters[name];
  return query;
}

export function kindOf(filters: ReportFilters): ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(filters.kind) ? (filters.kind as ReportKind) : 'activations';
}

export function useReport(filters: ReportFilters) {
  const kind = kindOf(filters);
  const query = reportQuery(filters);
  return useQuery<Report, ApiError>({
    queryKey: ['reports', kind, query],
    queryFn: ({ signal }) => api<Report>(`/reports/${kind}`, { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useExportReport(filters: ReportFilters) {
  const kind = kindOf(filters);
  const query = reportQuery(filters);
  return useMutation<ReportExport, ApiError>({
    mutationFn: () => api<ReportExport>(`/reports/${kind}/export`, { method: 'POST', query }),
  });
}
