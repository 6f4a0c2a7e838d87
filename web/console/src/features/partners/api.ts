// The staff's partner routes (docs/api.md "Installer partners"), one hook per resource.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const PARTNER_STATUSES = ['pending', 'approved', 'suspended', 'rejected'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** Who may approve, reject, suspend, reinstate and create (the API's roles). */
export const PARTNER_DECIDERS: readonly Role[] = ['admin', 'director'];

/** Who may record the commitment form 08/CK-TNCN as on file or withdraw it (the API's roles). */
export const COMMITMENT_WRITERS: readonly Role[] = ['admin', 'accountant'];

export const partnerFilterNames = ['status', 'phone'] as const;
export type PartnerFilters = Filters<(typeof partnerFilterNames)[number]>;

export interface Bank {
  bin: string;
  short_name: string;
  name: string;
}

export interface Partner {
  partner_id: string;
  phone: string;
  name: string;
  citizen_id: string;
  province: string;
  bank: Bank;
  account_number: string;
  account_holder: string;
  tax_code: string | null;
  status: PartnerStatus;
  consent: { given_at: string; text_version: string } | null;
  created_at: string;
  created_by: string;
  commitment: Commitment | null; // null: never recorded (not on file)
}

/** The commitment form (Mẫu 08/CK-TNCN): on file, no personal income tax is withheld. */
export interface Commitment {
  on_file: boolean;
  by: string;
  at: string;
  note: string;
}

export interface PartnerChange {
  at: string;
  by: string;
  from: PartnerStatus | null;
  to: PartnerStatus;
  note: string | null;
}

export interface PartnerDetail extends Partner {
  history: PartnerChange[];
}

/** The status changes the API allows from each status (anything else is a 409). */
export const NEXT_STATUSES: Record<PartnerStatus, readonly PartnerStatus[]> = {
  pending: ['approved', 'rejected'],
  approved: ['suspended'],
  suspended: ['approved'],
  rejected: [],
};

/** A note is required to reject or suspend. */
export const NOTE_REQUIRED: ReadonlySet<PartnerStatus> = new Set(['rejected', 'suspended']);
export const NOTE_MAX = 500;

export function usePartners(filters: PartnerFilters, cursor: string) {
  return useQuery<CursorPage<Partner>, ApiError>({
    queryKey: ['partners', filters, cursor],
    queryFn: async ({ signal }) => {
      // by phone alone (exact), or a page of one status (pending: the review queue)
      const query = filters.phone
        ? { phone: filters.phone }
        : { status: filters.status || 'pending', cursor };
      const body = await api<{ partners: Partner[]; next_cursor: string | null }>('/partners', {
        query,
        signal,
      });
      return { records: body.partners, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

export function usePartner(partnerId: string) {
  return useQuery<PartnerDetail, ApiError>({
    queryKey: ['partner', partnerId],
    queryFn: ({ signal }) => api<PartnerDetail>(`/partners/${encodeURIComponent(partnerId)}`, { signal }),
  });
}

export function useSetPartnerStatus(partnerId: string) {
  const queryClient = useQueryClient();
  return useMutation<PartnerDetail, ApiError, { status: PartnerStatus; note: string }>({
    mutationFn: ({ status, note }) =>
      api<PartnerDetail>(`/partners/${encodeURIComponent(partnerId)}/status`, {
        method: 'POST',
        body: note ? { status, note } : { status },
      }),
    onSuccess: (partner) => {
      queryClient.setQueryData(['partner', partnerId], partner);
      void queryClient.invalidateQueries({ queryKey: ['partners'] });
    },
    onError: () => {
      // another staff member may have changed it first: show what it is now
      void queryClient.invalidateQueries({ queryKey: ['partner', partnerId] });
    },
  });
}

/** Record the commitment form as on file or withdraw it; the answer is the partner as it is now. */
export function useSetCommitment(partnerId: string) {
  const queryClient = useQueryClient();
  return useMutation<PartnerDetail, ApiError, { on_file: boolean; note: string }>({
    mutationFn: ({ on_file, note }) =>
      api<PartnerDetail>(`/partners/${encodeURIComponent(partnerId)}/commitment`, {
        method: 'POST',
        body: note ? { on_file, note } : { on_file },
      }),
    onSuccess: (partner) => {
      queryClient.setQueryData(['partner', partnerId], partner);
      void queryClient.invalidateQueries({ queryKey: ['partners'] });
    },
    onError: () => {
      // a colleague may have recorded it first: show what it is now
      void queryClient.invalidateQueries({ queryKey: ['partner', partnerId] });
    },
  });
}

export interface NewPartner {
  phone: string;
  name: string;
  citizen_id: string;
  province: string;
  bank_bin: string;
  account_number: string;
  account_holder: string;
  tax_code?: string;
  consent: true;
  status: 'pending' | 'approved';
  note?: string;
}

export function useCreatePartner() {
  const queryClient = useQueryClient();
  return useMutation<PartnerDetail, ApiError, NewPartner>({
    mutationFn: (body) => api<PartnerDetail>('/partners', { method: 'POST', body }),
    onSuccess: (partner) => {
      queryClient.setQueryData(['partner', partner.partner_id], partner);
      void queryClient.invalidateQueries({ queryKey: ['partners'] });
    },
  });
}
