// The audit trail (docs/api.md "GET /audit"): filters and cursor from the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const ENTITIES = [
  'unit',
  'model',
  'brand',
  'label_template',
  'user',
  'customer',
  'partner',
  'reward_rule',
  'reward',
  'reward_period',
  'carton',
  'service_center',
] as const;
export const auditFilterNames = ['entity', 'entity_id', 'actor', 'from', 'to'] as const;
export type AuditFilters = Filters<(typeof auditFilterNames)[number]>;

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  note: string | null;
}

interface AuditResponse {
  entries: AuditEntry[];
  next_cursor: string | null;
}

export function useAuditEntries(filters: AuditFilters, cursor: string) {
  return useQuery<CursorPage<AuditEntry>, ApiError>({
    queryKey: ['audit', filters, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<AuditResponse>('/audit', { query: { ...filters, cursor }, signal });
      return { records: body.entries, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}
