// A model's maintenance plan (docs/api.md "Maintenance"): its components, each with its cycle,
// first service, reminder lead, rhythm, price and checklist; saved whole, versioned.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';

export const PLAN_EDITORS: readonly Role[] = ['admin', 'cs'];
export const RHYTHMS = ['fixed', 'floating'] as const;
export type Rhythm = (typeof RHYTHMS)[number];
export const MAX_COMPONENTS = 20;

export interface PlanComponent {
  code: string;
  name: string;
  name_en: string;
  cycle_months: number;
  cycle_days: number;
  first_months: number;
  first_days: number;
  lead_days: number;
  rhythm: Rhythm;
  price_vnd: number;
  checklist: string[];
}

export interface MaintenancePlan {
  model_code: string;
  components: PlanComponent[];
  version: number;
  updated_by: string | null;
  updated_at: string | null;
}

const planPath = (code: string) => `/models/${encodeURIComponent(code)}/maintenance-plan`;

export function useMaintenancePlan(code: string) {
  return useQuery<MaintenancePlan, ApiError>({
    queryKey: ['maintenance-plan', code],
    queryFn: ({ signal }) => api<MaintenancePlan>(planPath(code), { signal }),
    enabled: code !== '',
  });
}

export function useSavePlan(code: string) {
  const queryClient = useQueryClient();
  return useMutation<MaintenancePlan, ApiError, { version: number; components: PlanComponent[] }>({
    mutationFn: (body) => api<MaintenancePlan>(planPath(code), { method: 'PUT', body }),
    onSuccess: (plan) => {
      queryClient.setQueryData(['maintenance-plan', code], plan);
    },
  });
}
