// Maintenance visits (docs/api.md "Maintenance tickets"): the due list, the tickets by status or
// the caller's own, one ticket and its moves. Every move sends the `version` the page read; a
// 409 `maintenance_ticket_changed` reloads it.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiBlob } from '../../api/client';
import { uploadFile } from '../catalog/api';
import { networkError, type ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';

export const TICKET_STATUSES = ['new', 'assigned', 'started', 'done', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const STAGES = ['overdue', 'reminded_again', 'reminded', 'booked', 'waiting'] as const;
export type Stage = (typeof STAGES)[number];
export const DAY_PARTS = ['morning', 'afternoon'] as const;
export type DayPart = (typeof DAY_PARTS)[number];
export const PAYMENT_METHODS = ['cash', 'transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The desk books, assigns, reschedules and cancels. */
export const TICKET_DESK: readonly Role[] = ['admin', 'cs'];
export const NOTES_MAX = 2000;
export const REASON_MAX = 300;

export interface TicketComponent {
  code: string;
  name: string;
  name_en: string;
}

export interface Slot {
  day: string;
  part: DayPart;
  note: string;
}

export interface TicketSummary {
  ticket_id: string;
  serial: string;
  model_code: string;
  component: TicketComponent;
  occurrence: number;
  source: 'booking' | 'manager' | 'claim';
  status: TicketStatus;
  slot: Slot;
  customer: { name: string; phone: string; province: string; address: string };
  assignee_key: string | null;
  assignee_name: string | null;
  amount_vnd: number;
  version: number;
}

export interface TicketChange {
  seq: number;
  at: string;
  by: string;
  action: string;
  status_from: TicketStatus | null;
  status_to: TicketStatus;
  note: string;
}

export interface Ticket extends TicketSummary {
  price_vnd: number;
  labour_vnd: number;
  checklist: { text: string; done: boolean }[];
  notes: string;
  payment: { amount_vnd: number; method: PaymentMethod; collected_by: string } | null;
  parts: { code: string; name: string; unit: string; qty: number; price_vnd: number; amount_vnd: number; location_id: string }[];
  photos: { key: string; url: string | null }[];
  claim_id: string | null;
  confirmed_by: string;
  done_on: string | null;
  cancel_reason: string;
  created_at: string;
  created_by: string;
  role: 'desk' | 'assignee' | null;
  history: TicketChange[];
}

export interface DueLine {
  serial: string;
  model_code: string;
  component: TicketComponent;
  occurrence: number;
  due: string;
  stage: Stage;
  reminders: number;
  booking: { day: string; part: DayPart } | null;
  owner: { name: string; phone: string; province: string } | null;
}

export interface Span {
  from?: string;
  until?: string;
}

/** A status's tickets (the desk, the readers), or the caller's own (`mine`). */
export function useTickets(status: TicketStatus | null, span: Span, mine = false, enabled = true) {
  return useQuery<TicketSummary[], ApiError>({
    enabled,
    queryKey: ['maintenance-tickets', mine ? 'mine' : status, span],
    queryFn: async ({ signal }) =>
      (
        await api<{ tickets: TicketSummary[] }>('/maintenance/tickets', {
          query: { ...(mine ? { mine: '1' } : {}), ...(status ? { status } : {}), ...span },
          signal,
        })
      ).tickets,
    placeholderData: keepPreviousData,
  });
}

export function useDue(stage: Stage, span: Span, enabled = true) {
  return useQuery<DueLine[], ApiError>({
    enabled,
    queryKey: ['maintenance-due', stage, span],
    queryFn: async ({ signal }) =>
      (await api<{ lines: DueLine[] }>('/maintenance/due', { query: { stage, ...span }, signal })).lines,
    placeholderData: keepPreviousData,
  });
}

const ticketPath = (id: string) => `/maintenance/tickets/${encodeURIComponent(id)}`;

export function useTicket(id: string) {
  return useQuery<Ticket, ApiError>({
    queryKey: ['maintenance-ticket', id],
    queryFn: ({ signal }) => api<Ticket>(ticketPath(id), { signal }),
  });
}

export interface NewTicket {
  serial: string;
  component: string;
  day: string;
  part: DayPart;
  note: string;
  claim_id?: string;
}

export function useBookVisit() {
  const queryClient = useQueryClient();
  return useMutation<Ticket, ApiError, NewTicket>({
    mutationFn: (body) => api<Ticket>('/maintenance/tickets', { method: 'POST', body }),
    onSuccess: (ticket) => {
      queryClient.setQueryData(['maintenance-ticket', ticket.ticket_id], ticket);
      void queryClient.invalidateQueries({ queryKey: ['maintenance-tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['maintenance-due'] });
    },
  });
}

export type TicketAction =
  | 'assign'
  | 'reschedule'
  | 'start'
  | 'work'
  | 'complete'
  | 'cancel'
  | 'parts'
  | 'parts/return'
  | 'photos/remove';
export const PHOTOS_MAX = 10;
/** `finish`: the record saved, then the ticket completed over the version that save made. */
export type TicketMove = TicketAction | 'finish';

export interface WorkBody {
  checked?: boolean[];
  notes?: string;
  labour_vnd?: number;
  payment?: { amount_vnd: number; method: PaymentMethod } | null;
  confirmed_by?: string;
}

// The versions this page's own moves made, per ticket: a form on the page keeps what its user
// typed through them, and shows what is saved only when someone else changed the ticket.
const ownVersions = new Map<string, Set<number>>();

function madeHere(ticket: Ticket): void {
  const seen = ownVersions.get(ticket.ticket_id) ?? new Set<number>();
  seen.add(ticket.version);
  ownVersions.set(ticket.ticket_id, seen);
}

/** Did a move made on this page produce this version of the ticket? */
export function isOwnVersion(ticketId: string, version: number): boolean {
  return ownVersions.get(ticketId)?.has(version) ?? false;
}

/** One move on the ticket, over the version the page read; the page takes the answer (a 409
 * `maintenance_ticket_changed` reloads it). */
export function useTicketMove(id: string) {
  const queryClient = useQueryClient();
  const post = (action: TicketAction, version: number, body?: object) =>
    api<Ticket>(`${ticketPath(id)}/${action}`, { method: 'POST', body: { version, ...body } });
  return useMutation<Ticket, ApiError, { action: TicketMove; version: number; body?: object }>({
    mutationFn: async ({ action, version, body }) => {
      if (action !== 'finish') return post(action, version, body);
      const saved = await post('work', version, body);
      madeHere(saved);
      queryClient.setQueryData(['maintenance-ticket', id], saved);
      return post('complete', saved.version);
    },
    onSuccess: (ticket) => {
      madeHere(ticket);
      queryClient.setQueryData(['maintenance-ticket', id], ticket);
      void queryClient.invalidateQueries({ queryKey: ['maintenance-tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['maintenance-due'] });
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
    },
    onError: (error) => {
      if (error.code === 'maintenance_ticket_changed') {
        void queryClient.invalidateQueries({ queryKey: ['maintenance-ticket', id] });
      }
    },
  });
}

/** Photos of the visit, one after another: a presigned PUT from the API, the file straight to
 * the bucket, then the API checks it, keeps it without metadata and adds it to the ticket (each
 * over the version the previous one made). */
export function useAddTicketPhotos(id: string) {
  const queryClient = useQueryClient();
  return useMutation<Ticket, ApiError, { files: File[]; version: number; onEach?: (file: File) => void }>({
    mutationFn: async ({ files, version, onEach }) => {
      let ticket: Ticket | undefined;
      let current = version;
      for (const file of files) {
        const key = await uploadFile(`${ticketPath(id)}/photos`, file);
        ticket = await api<Ticket>(`${ticketPath(id)}/photos/done`, {
          method: 'POST',
          body: { version: current, key },
        });
        current = ticket.version;
        madeHere(ticket);
        queryClient.setQueryData(['maintenance-ticket', id], ticket);
        onEach?.(file); // kept: a failure further on retries only the files left
      }
      if (!ticket) throw networkError();
      return ticket;
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: ['maintenance-ticket', id] });
    },
  });
}

/** The printed ticket's QR code (SVG): fetched with the session's token, shown from memory. */
export function useTicketQr(id: string) {
  return useQuery<Blob, ApiError>({
    queryKey: ['maintenance-ticket-qr', id],
    queryFn: () => apiBlob(`${ticketPath(id)}/qr.svg`, 'image/svg+xml'),
    staleTime: Infinity,
  });
}

/** The component's name in the page's language. */
export function componentName(component: TicketComponent, language: string): string {
  return language !== 'vi' && component.name_en ? component.name_en : component.name;
}

/** The brand's name and hotline for a printed ticket's heading (staff only: a partner
 * company's user prints without it). */
export function usePrintBrand(enabled: boolean) {
  return useQuery<{ name: string; theme: { hotline: string } }, ApiError>({
    queryKey: ['brand'],
    queryFn: ({ signal }) => api<{ name: string; theme: { hotline: string } }>('/brand', { signal }),
    enabled,
    staleTime: 60_000,
  });
}
