// The staff's reward routes (docs/api.md "Rewards", "Reconciliation"), one hook per resource.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';
import { dataLanguage } from '../../i18n';
import { useModels } from '../units/api';

/** The API's roles per route (chalicelib/partners/reward_routes.py). */
export const RULE_READERS: readonly Role[] = ['admin', 'director', 'accountant'];
export const RULE_WRITERS: readonly Role[] = ['admin', 'director'];
export const LEDGER_READERS: readonly Role[] = ['admin', 'director', 'accountant', 'cs'];
export const RECONCILERS: readonly Role[] = ['admin', 'director', 'accountant'];
export const DECIDERS: readonly Role[] = ['admin', 'director'];

export const ENTRY_STATES = [
  'pending',
  'held',
  'approved',
  'rejected',
  'in_payout',
  'paid',
  'payment_failed',
  'not_eligible',
] as const;
export type EntryState = (typeof ENTRY_STATES)[number];
/** Waiting for a manager's decision: a month is not locked while any entry is. */
export const UNDECIDED: ReadonlySet<EntryState> = new Set(['pending', 'held']);

export const FLAGS = [
  'burst',
  'sequential_serials',
  'customer_is_partner',
  'customer_many_units',
  'confirmation_undelivered',
  'activated_before_shipment',
] as const;
export type Flag = (typeof FLAGS)[number];
export type Reason = 'no_partner' | 'partner_not_approved' | 'phone_mismatch' | 'no_rule';

export const NOTE_MAX = 500;
export const BULK_MAX = 100;
export const AMOUNT_MAX = 100_000_000;

export interface RuleVersion {
  rule_id: string;
  version: number;
  scope: 'model' | 'category';
  model_code: string | null;
  category: string | null;
  amount: number;
  valid_from: string;
  valid_to: string | null;
  priority: number;
  created_at: string;
  created_by: string;
  note: string;
}

/** A category as the API compares it: case, diacritics and spacing ignored. */
export function foldCategory(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a rule prices, for the reader: its model's code, or its category (in English, the
 * English name the catalogue's models give that category, when they give one). */
export function useRuleTarget(): (rule: RuleVersion) => string {
  const models = useModels();
  const english = dataLanguage() === 'en';
  return (rule) => {
    if (rule.model_code !== null) return rule.model_code;
    const category = rule.category ?? '';
    const named = models.data?.find((m) => m.category_en && foldCategory(m.category) === foldCategory(category));
    return english && named ? named.category_en : category;
  };
}

export interface Rule extends RuleVersion {
  versions: RuleVersion[];
}

export interface RuleRequest {
  rule_id?: string;
  model_code?: string;
  category?: string;
  amount: number;
  valid_from: string;
  valid_to: string | null;
  priority: number;
  note: string;
}

export interface EntryChange {
  at: string;
  by: string;
  from: EntryState | null;
  to: EntryState;
  note: string;
}

export interface Entry {
  serial: string;
  kind: 'reward' | 'reversal';
  model_code: string;
  state: EntryState;
  amount: number;
  reason: Reason | null;
  flags: Flag[];
  rule: { rule_id: string; version: number } | null;
  activated_at: string;
  activation_day: string;
  period: string;
  history: EntryChange[];
  partner_id: string | null;
  partner_name?: string | null;
}

export interface Period {
  period: string;
  status: 'open' | 'locked';
  locked_at: string | null;
  locked_by: string | null;
  entries: number;
  undecided: number;
  states: Record<EntryState, { count: number; amount: number }>;
  partners: string[];
}

export type Decision = 'approve' | 'reject';

export interface Outcome {
  serial: string;
  outcome: 'decided' | 'refused';
  state?: EntryState;
  code?: string;
}

export interface Outcomes {
  outcomes: Outcome[];
  decided: number;
  refused: number;
}

/** A note is required to reject, and to approve an entry held by a fraud signal. */
export function noteRequired(decision: Decision, entries: readonly Entry[]): boolean {
  return decision === 'reject' || entries.some((entry) => entry.state === 'held');
}

/** `YYYY-MM` of the month before today's in Vietnam (the month a manager reconciles). */
export function previousMonth(now: Date = new Date()): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return month === 1 ? `${String(year - 1)}-12` : `${String(year)}-${String(month - 1).padStart(2, '0')}`;
}

export const PERIOD = /^20\d{2}-(0[1-9]|1[0-2])$/;

// -- rules -----------------------------------------------------------------------------------------

export function useRules() {
  return useQuery<CursorPage<Rule>, ApiError>({
    queryKey: ['reward-rules'],
    queryFn: async ({ signal }) => {
      const body = await api<{ rules: Rule[] }>('/rewards/rules', { signal });
      return { records: body.rules, nextCursor: null };
    },
  });
}

export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation<{ rule: RuleVersion }, ApiError, RuleRequest>({
    mutationFn: (body) => api<{ rule: RuleVersion }>('/rewards/rules', { method: 'POST', body }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['reward-rules'] });
    },
  });
}

export function useEndRule(ruleId: string) {
  const queryClient = useQueryClient();
  return useMutation<{ rule: RuleVersion }, ApiError, { valid_to: string; note: string }>({
    mutationFn: ({ valid_to, note }) =>
      api<{ rule: RuleVersion }>(`/rewards/rules/${encodeURIComponent(ruleId)}/end`, {
        method: 'POST',
        body: valid_to ? { valid_to, note } : { note },
      }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['reward-rules'] });
    },
  });
}

// -- the ledger and the month's reconciliation ---------------------------------------------------

export function useEntries(period: string, state: string, cursor: string) {
  return useQuery<CursorPage<Entry>, ApiError>({
    queryKey: ['rewards', period, state, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<{ entries: Entry[]; next_cursor: string | null }>('/rewards', {
        query: { period, state, cursor },
        signal,
      });
      return { records: body.entries, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function usePeriod(period: string, enabled: boolean) {
  return useQuery<Period, ApiError>({
    queryKey: ['reward-period', period],
    queryFn: async ({ signal }) =>
      (await api<{ period: Period }>(`/rewards/periods/${period}`, { signal })).period,
    enabled,
  });
}

/** After a decision or a lock the month's entries and totals are read again. */
function useRefreshPeriod(period: string): () => void {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['rewards', period] });
    void queryClient.invalidateQueries({ queryKey: ['reward-period', period] });
  };
}

export interface DecisionRequest {
  serials: string[];
  decision: Decision;
  note: string;
}

/** One entry (`POST /rewards/{serial}/decision`) or several (`POST /rewards/decisions`): each
 * answered as outcomes, so a screen shows one and many alike. */
export function useDecide(period: string) {
  const refresh = useRefreshPeriod(period);
  return useMutation<Outcomes, ApiError, DecisionRequest>({
    mutationFn: async ({ serials, decision, note }) => {
      const body = note ? { decision, note } : { decision };
      if (serials.length === 1) {
        const [serial = ''] = serials;
        const { entry } = await api<{ entry: Entry }>(`/rewards/${encodeURIComponent(serial)}/decision`, {
          method: 'POST',
          body,
        });
        return { outcomes: [{ serial, outcome: 'decided', state: entry.state }], decided: 1, refused: 0 };
      }
      return api<Outcomes>('/rewards/decisions', { method: 'POST', body: { ...body, serials } });
    },
    onSettled: refresh,
  });
}

export function useLockPeriod(period: string) {
  const queryClient = useQueryClient();
  const refresh = useRefreshPeriod(period);
  return useMutation<Period, ApiError>({
    mutationFn: async () =>
      (await api<{ period: Period }>(`/rewards/periods/${period}/lock`, { method: 'POST' })).period,
    onSuccess: (locked) => {
      queryClient.setQueryData(['reward-period', period], locked);
    },
    onSettled: refresh,
  });
}

