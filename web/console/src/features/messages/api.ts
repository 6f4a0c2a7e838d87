// The outbox's staff routes (docs/api.md "GET /messages"), one hook per resource.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { CursorPage } from '../../components/ServerTable';
import type { Filters } from '../../components/useUrlFilters';

export const MESSAGE_STATUSES = [
  'queued',
  'scheduled',
  'sending',
  'accepted',
  'delivered',
  'failed',
  'unknown',
] as const;
const STUCK_AFTER_MS = 5 * 60_000;

/** Whether the API would send it again: failed or unknown, or queued for more than 5 minutes
 * (stuck: a message queued less long ago is on its way). The API decides; this only spares
 * the user a button that would be refused. */
export function mayBeRetried(message: MessageDetail, now: number): boolean {
  if (message.status === 'failed' || message.status === 'unknown') return true;
  if (message.status !== 'queued') return false;
  const queuedAt = message.events.at(-1)?.at ?? message.created_at;
  return now - Date.parse(queuedAt) > STUCK_AFTER_MS;
}

export const messageFilterNames = ['status', 'phone'] as const;
export type MessageFilters = Filters<(typeof messageFilterNames)[number]>;

export interface Message {
  message_id: string;
  kind: string;
  subject: string;
  to: string;
  language: string;
  status: string;
  channel: string | null;
  provider: string | null;
  attempts: number;
  reason: string | null;
  error_code: string | null;
  cost_vnd: string;
  cost_reported: boolean;
  created_at: string;
  accepted_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  /** The recipient disowned the activation ("not you? tell us"): to review. */
  disputed_at: string | null;
}

export interface MessageEvent {
  at: string;
  state: string;
  channel: string | null;
  provider: string | null;
  reason: string | null;
  code: string | null;
}

export interface MessageDetail extends Message {
  text: string | null;
  events: MessageEvent[];
}

interface MessagesResponse {
  messages: Message[];
  next_cursor: string | null;
  today: { spent_vnd: string; cap_vnd: string | null };
}

export interface MessagesPage extends CursorPage<Message> {
  today: MessagesResponse['today'];
}

export function useMessages(filters: MessageFilters, cursor: string) {
  return useQuery<MessagesPage, ApiError>({
    queryKey: ['messages', filters, cursor],
    queryFn: async ({ signal }) => {
      const body = await api<MessagesResponse>('/messages', {
        query: { status: filters.status, phone: filters.phone, cursor },
        signal,
      });
      return { records: body.messages, nextCursor: body.next_cursor, today: body.today };
    },
    placeholderData: keepPreviousData,
  });
}

export function useMessage(messageId: string) {
  return useQuery<MessageDetail, ApiError>({
    queryKey: ['message', messageId],
    queryFn: ({ signal }) =>
      api<MessageDetail>(`/messages/${encodeURIComponent(messageId)}`, { signal }),
  });
}

export function useRetryMessage(messageId: string) {
  const queryClient = useQueryClient();
  return useMutation<MessageDetail, ApiError>({
    mutationFn: () =>
      api<MessageDetail>(`/messages/${encodeURIComponent(messageId)}/retry`, { method: 'POST' }),
    onSuccess: (message) => {
      queryClient.setQueryData(['message', messageId], message);
      void queryClient.invalidateQueries({ queryKey: ['messages'] });
    },
  });
}
