import { Alert, Anchor, Badge, Button, Group, Loader, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { useRoles, type Role } from '../../auth/session';
import { useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime, formatDay, formatVnd } from '../format';

const ACCOUNTING: readonly Role[] = ['admin', 'accountant'];

interface Line {
  ticket_id: string;
  serial: string;
  customer_name: string;
  done_on: string;
  amount_vnd: number;
  collected_vnd: number;
  method: string;
  holder: string;
  holder_name: string;
  remitted_vnd: number | null;
  remitted_on: string | null;
  difference_vnd: number;
  parts_cost_vnd: number;
  reconciled_by: string;
  status: 'open' | 'collected' | 'remitted' | 'reconciled';
  version: number;
}

interface Collector {
  holder: string;
  holder_name: string;
  lines: number;
  amount_vnd: number;
  collected_vnd: number;
  remitted_vnd: number;
  outstanding_vnd: number;
  difference_vnd: number;
}

interface Month {
  month: string;
  closed: boolean;
  closed_at: string | null;
  closed_by: string | null;
  lines: Line[];
  collectors: Collector[];
  totals: { amount_vnd: number; collected_vnd: number; remitted_vnd: number; parts_cost_vnd: number; reconciled: number };
}

const STATUS_COLORS = { open: 'orange', collected: 'blue', remitted: 'cyan', reconciled: 'green' } as const;

/** The last twelve months, this one first (`YYYY-MM`). */
function recentMonths(): string[] {
  const now = new Date();
  return Array.from({ length: 12 }, (_, back) => {
    const day = new Date(now.getFullYear(), now.getMonth() - back, 1);
    return `${String(day.getFullYear())}-${String(day.getMonth() + 1).padStart(2, '0')}`;
  });
}

function useMonth(month: string) {
  return useQuery<Month, ApiError>({
    queryKey: ['receivables', month],
    queryFn: ({ signal }) => api<Month>(`/receivables/${month}`, { signal }),
  });
}

function useStep(month: string) {
  const queryClient = useQueryClient();
  return useMutation<Month, ApiError, { path: string; body?: object }>({
    mutationFn: ({ path, body }) => api<Month>(`/receivables/${month}${path}`, { method: 'POST', body }),
    onSuccess: (answer) => {
      queryClient.setQueryData(['receivables', month], answer);
    },
    onError: (error) => {
      if (error.code === 'receivables_changed') void queryClient.invalidateQueries({ queryKey: ['receivables', month] });
    },
  });
}

function Remit({ line, month, onDone }: { line: Line; month: string; onDone: () => void }) {
  const { t } = useTranslation();
  const step = useStep(month);
  const [amount, setAmount] = useState<number | string>(line.collected_vnd);
  return (
    <Group gap={4} wrap="nowrap">
      <NumberInput
        aria-label={t('receivables.remit_amount', { id: line.ticket_id })}
        size="xs"
        w={130}
        min={0}
        max={line.collected_vnd}
        step={10000}
        thousandSeparator="."
        decimalSeparator=","
        allowDecimal={false}
        value={amount}
        onChange={setAmount}
        error={step.error?.fields[0]?.message}
      />
      <Button
        size="compact-sm"
        loading={step.isPending}
        onClick={() => {
          step.mutate({ path: `/${line.ticket_id}/remit`, body: { version: line.version, amount_vnd: Number(amount) } }, { onSuccess: onDone });
        }}
      >
        {t('receivables.remit')}
      </Button>
    </Group>
  );
}

/** Maintenance receivables by month: per collector what was collected, handed over, still
 * held and the differences (in red); each line's step (collected, handed over, reconciled);
 * the month's close (a past month, every line reconciled: locked) and its Excel export. */
export function ReceivablesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const accounting = roles.some((r) => ACCOUNTING.includes(r));
  const months = recentMonths();
  const [filters, setFilters] = useUrlFilters(['month'] as const);
  const month = months.includes(filters.month) ? filters.month : (months[0] ?? '');
  const found = useMonth(month);
  const step = useStep(month);
  const close = t('tickets.close');
  const ok = (message: string) => {
    notifications.show({ color: 'green', message, closeButtonProps: { 'aria-label': close } });
  };
  const exportMonth = useMutation<{ url: string; filename: string }, ApiError>({
    mutationFn: () => api(`/receivables/${month}/export`, { method: 'POST' }),
    onSuccess: ({ url }) => {
      window.location.assign(url);
    },
  });
  const data = found.data;
  const editable = accounting && data !== undefined && !data.closed;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('receivables.title')}
        </Title>
        <Group gap="xs">
          <Button variant="default" loading={exportMonth.isPending} onClick={() => { exportMonth.mutate(); }} disabled={!data}>
            {t('receivables.export')}
          </Button>
          {editable && month < (months[0] ?? '') && (
            <Button
              color="red"
              onClick={() => {
                modals.openConfirmModal({
                  title: t('receivables.close_title', { month }),
                  children: <Text size="sm">{t('receivables.close_text')}</Text>,
                  labels: { confirm: t('receivables.close_month'), cancel: t('tickets.close') },
                  confirmProps: { color: 'red' },
                  onConfirm: () => {
                    step.mutate({ path: '/close' }, { onSuccess: () => { ok(t('receivables.closed_done')); } });
                  },
                });
              }}
            >
              {t('receivables.close_month')}
            </Button>
          )}
        </Group>
      </Group>
      <Group align="flex-end" gap="md">
        <Select
          label={t('receivables.month')}
          data={months}
          value={month}
          allowDeselect={false}
          onChange={(value) => {
            setFilters({ month: value ?? '' });
          }}
          w={160}
        />
        {data && (
          <Badge size="lg" color={data.closed ? 'gray' : 'green'} variant="light" data-testid="month-status">
            {data.closed ? t('receivables.closed_by', { who: data.closed_by ?? '', when: formatDateTime(data.closed_at) }) : t('receivables.open')}
          </Badge>
        )}
      </Group>
      {step.error && <Alert color="red" role="alert" title={step.error.message} />}
      {exportMonth.error && <Alert color="red" role="alert" title={exportMonth.error.message} />}
      {found.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {found.isError && <Alert color="red" role="alert" title={found.error.message} />}
      {data && (
        <>
          <Group gap="xl">
            <Text>
              {t('receivables.amount')}: <b>{formatVnd(data.totals.amount_vnd)}</b>
            </Text>
            <Text>
              {t('receivables.collected')}: <b>{formatVnd(data.totals.collected_vnd)}</b>
            </Text>
            <Text>
              {t('receivables.remitted')}: <b>{formatVnd(data.totals.remitted_vnd)}</b>
            </Text>
            <Text>
              {t('receivables.margin')}: <b>{formatVnd(data.totals.amount_vnd - data.totals.parts_cost_vnd)}</b>
            </Text>
            <Text>{t('receivables.reconciled_count', { n: data.totals.reconciled, of: data.lines.length })}</Text>
          </Group>
          <Paper withBorder p="md" radius="sm" component="section" aria-label={t('receivables.collectors')}>
            <Title order={2} size="h4" mb="sm">
              {t('receivables.collectors')}
            </Title>
            {data.collectors.length === 0 ? (
              <Text c="dimmed">{t('receivables.empty')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped aria-label={t('receivables.collectors')} data-testid="collectors">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('receivables.holder')}</Table.Th>
                      <Table.Th ta="right">{t('receivables.lines')}</Table.Th>
                      <Table.Th ta="right">{t('receivables.collected')}</Table.Th>
                      <Table.Th ta="right">{t('receivables.remitted')}</Table.Th>
                      <Table.Th ta="right">{t('receivables.outstanding')}</Table.Th>
                      <Table.Th ta="right">{t('receivables.difference')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.collectors.map((c) => (
                      <Table.Tr key={c.holder || '-'}>
                        <Table.Td>{c.holder_name || t('receivables.company')}</Table.Td>
                        <Table.Td ta="right">{c.lines}</Table.Td>
                        <Table.Td ta="right">{formatVnd(c.collected_vnd)}</Table.Td>
                        <Table.Td ta="right">{formatVnd(c.remitted_vnd)}</Table.Td>
                        <Table.Td ta="right">{formatVnd(c.outstanding_vnd)}</Table.Td>
                        <Table.Td ta="right" c={c.difference_vnd ? 'red' : undefined} fw={c.difference_vnd ? 700 : undefined}>
                          {formatVnd(c.difference_vnd)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
          {data.lines.length > 0 && (
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label={t('receivables.lines_title')} data-testid="receivable-lines">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('receivables.ticket')}</Table.Th>
                    <Table.Th>{t('receivables.customer')}</Table.Th>
                    <Table.Th ta="right">{t('receivables.amount')}</Table.Th>
                    <Table.Th ta="right">{t('receivables.collected')}</Table.Th>
                    <Table.Th>{t('receivables.holder')}</Table.Th>
                    <Table.Th ta="right">{t('receivables.remitted')}</Table.Th>
                    <Table.Th ta="right">{t('receivables.difference')}</Table.Th>
                    <Table.Th>{t('receivables.status_label')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.lines.map((line) => (
                    <Table.Tr key={line.ticket_id} data-testid={`line-${line.ticket_id}`}>
                      <Table.Td>
                        <Anchor component={Link} to={`/maintenance/tickets/${line.ticket_id}`}>
                          {line.ticket_id}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {formatDay(line.done_on)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {line.customer_name}
                        <Text size="xs" c="dimmed">
                          {line.serial}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{formatVnd(line.amount_vnd)}</Table.Td>
                      <Table.Td ta="right">
                        {formatVnd(line.collected_vnd)}
                        {line.method && (
                          <Text size="xs" c="dimmed">
                            {t(`tickets.method_name.${line.method}`)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{line.holder_name || t('receivables.company')}</Table.Td>
                      <Table.Td ta="right">{line.remitted_vnd === null ? '—' : formatVnd(line.remitted_vnd)}</Table.Td>
                      <Table.Td ta="right" c={line.difference_vnd ? 'red' : undefined} fw={line.difference_vnd ? 700 : undefined}>
                        {formatVnd(line.difference_vnd)}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLORS[line.status]} variant="light">
                          {t(`receivables.status.${line.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {editable && line.status === 'collected' && line.holder && line.method !== 'transfer' && (
                          <Remit line={line} month={month} onDone={() => { ok(t('receivables.remitted_done')); }} />
                        )}
                        {editable && (line.status === 'remitted' || (line.status === 'collected' && (line.method === 'transfer' || !line.holder))) && (
                          <Button
                            size="compact-sm"
                            variant="light"
                            color="green"
                            onClick={() => {
                              step.mutate({ path: `/${line.ticket_id}/reconcile`, body: { version: line.version } }, { onSuccess: () => { ok(t('receivables.reconciled_done')); } });
                            }}
                          >
                            {t('receivables.reconcile')}
                          </Button>
                        )}
                        {editable && line.status === 'open' && (
                          <Button
                            size="compact-sm"
                            variant="light"
                            onClick={() => {
                              step.mutate({ path: `/${line.ticket_id}/collect`, body: { version: line.version, amount_vnd: line.amount_vnd, method: 'transfer' } }, { onSuccess: () => { ok(t('receivables.collected_done')); } });
                            }}
                          >
                            {t('receivables.collect_transfer')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      )}
    </Stack>
  );
}
