import { Anchor, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime, formatVnd } from '../format';
import { MESSAGE_STATUSES, messageFilterNames, useMessages, type Message } from './api';
import { DisputedBadge, StatusBadge } from './StatusBadge';

/** The outbox: every message with its delivery state and cost, newest first, filtered by
 * status or by the customer's phone; today's spend against the cap. */
export function MessagesPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(messageFilterNames);
  const { cursor } = useUrlCursor();
  const messages = useMessages(filters, cursor);
  const [phone, setPhone] = useState(filters.phone);
  const [shownPhone, setShownPhone] = useState(filters.phone);
  if (shownPhone !== filters.phone) {
    // the URL changed (back button, a link): the field follows it
    setShownPhone(filters.phone);
    setPhone(filters.phone);
  }

  const columns: DataTableColumn<Message>[] = [
    { accessor: 'created_at', title: t('message.created_at'), noWrap: true, render: (m) => formatDateTime(m.created_at) },
    {
      accessor: 'kind',
      title: t('message.kind'),
      noWrap: true,
      render: (m) => (
        <Anchor component={Link} to={`/messages/${encodeURIComponent(m.message_id)}`}>
          {t(`message.kind.${m.kind}`, { defaultValue: m.kind })}
        </Anchor>
      ),
    },
    { accessor: 'to', title: t('message.to'), noWrap: true },
    { accessor: 'channel', title: t('message.channel'), render: (m) => (m.channel ? t(`dashboard.channel.${m.channel}`, { defaultValue: m.channel }) : '—') },
    {
      accessor: 'status',
      title: t('message.status'),
      render: (m) => (
        <Group gap={6} wrap="nowrap">
          <StatusBadge status={m.status} />
          {m.disputed_at && <DisputedBadge />}
        </Group>
      ),
    },
    { accessor: 'attempts', title: t('message.attempts'), textAlign: 'right' },
    { accessor: 'cost_vnd', title: t('message.cost'), textAlign: 'right', render: (m) => formatVnd(m.cost_vnd) },
  ];

  const searchPhone = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilters({ phone: phone.trim() });
  };
  const today = messages.data?.today;
  // a bad number is answered with a phone_* code (or, in general, a field named phone)
  const phoneError =
    messages.error?.fields.find((problem) => problem.field === 'phone')?.message ??
    (messages.error?.code.startsWith('phone_') ? messages.error.message : undefined);

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('messages.title')}
      </Title>
      {today && (
        <Text data-testid="spend">
          {today.cap_vnd
            ? t('messages.spend_of_cap', { spent: formatVnd(today.spent_vnd), cap: formatVnd(today.cap_vnd) })
            : t('messages.spend', { spent: formatVnd(today.spent_vnd) })}
        </Text>
      )}
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('message.status')}
          placeholder={t('messages.any_status')}
          clearable
          data={MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`message.status.${s}`) }))}
          value={filters.status || null}
          onChange={(value) => {
            setFilters({ status: value ?? '' });
          }}
          w={200}
        />
        <form onSubmit={searchPhone}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t('messages.phone')}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              value={phone}
              error={phoneError}
              onChange={(event) => {
                setPhone(event.currentTarget.value);
              }}
              w={180}
            />
            <Button type="submit" variant="default">
              {t('action.search')}
            </Button>
          </Group>
        </form>
      </Group>
      <ServerTable
        query={messages}
        columns={columns}
        idAccessor="message_id"
        caption={t('messages.title')}
        emptyText={t('messages.empty')}
      />
    </Stack>
  );
}
