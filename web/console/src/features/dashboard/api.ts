// The dashboard's summary (docs/api.md "GET /dashboard"): read from daily roll-ups, refreshed
// every minute while the page is open.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';

export const REFRESH_MS = 60_000;

export interface DayCount {
  day: string;
  count: number;
}

export interface ModelCount {
  model_code: string;
  name: string;
  name_en: string;
  count: number;
}

export interface ChannelCount {
  channel: string;
  count: number;
}

export interface ChannelOutcomes {
  channel: string;
  delivered: number;
  failed: number;
}

export interface ActiveLabelJob {
  job_id: string;
  status: 'queued' | 'running';
  done: number;
  total: number;
  created_at: string;
}

export interface Dashboard {
  today: string;
  activations: {
    today: number;
    last_7_days: number;
    last_30_days: number;
    by_day: DayCount[];
    by_model: ModelCount[];
    by_channel: ChannelCount[];
  };
  messages_today: { delivered: number; failed: number; by_channel: ChannelOutcomes[] };
  spend_today: { spent_vnd: string; cap_vnd: string | null };
  label_jobs: { active: number; jobs: ActiveLabelJob[] };
}

export function useDashboard() {
  return useQuery<Dashboard, ApiError>({
    queryKey: ['dashboard'],
    queryFn: ({ signal }) => api<Dashboard>('/dashboard', { signal }),
    refetchInterval: REFRESH_MS,
  });
}
