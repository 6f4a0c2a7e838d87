import '@mantine/dates/styles.css'; // the month picker's styles come with the screens that use it
import { Alert, Anchor, Button, Group, Modal, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { dayOf } from '../../components/DayInput';
import { ExportJobPanel } from '../../components/ExportJobPanel';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { mayUse } from '../../shell/menu';
import { formatDateTime, formatVnd } from '../format';
import {
  BULK_MAX,
  DECIDERS,
  ENTRY_STATES,
  PERIOD,
  RECONCILERS,
  UNDECIDED,
  previousMonth,
  useEntries,
  usePeriod,
  type Decision,
  type Entry,
  type EntryState,
  type Period,
} from './api';
import { DecisionForm, LockForm } from './forms';
import { EntryStateBadge, FlagBadges, FlagLegend } from './parts';

const FILTERS = ['period', 'state'] as const;

/** The month's totals per state (count and amount), in a table that scrolls inside its box. */
function Totals({ period }: { period: Period }) {
  const { t } = useTranslation();
  const shown = ENTRY_STATES.filter((state) => period.states[state].count > 0);
  const total = shown.reduce((sum, state) => sum + period.states[state].amount, 0);
  return (
    <Table.ScrollContainer minWidth={300} type="native">
      <Table withTableBorder striped aria-label={t('rewards.totals')} data-testid="period-totals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('rewards.state')}</Table.Th>
            <Table.Th ta="right">{t('rewards.count')}</Table.Th>
            <Table.Th ta="right">{t('rewards.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((state) => (
            <Table.Tr key={state} data-state={state}>
              <Table.Td>{t(`rewards.state.${state}`)}</Table.Td>
              <Table.Td ta="right">{period.states[state].count}</Table.Td>
              <Table.Td ta="right">{formatVnd(period.states[state].amount)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr fw={600}>
            <Table.Td>{t('rewards.total')}</Table.Td>
            <Table.Td ta="right">{period.entries}</Table.Td>
            <Table.Td ta="right">{formatVnd(total)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The month as an Excel file: a job (any length), its progress, then the download link. */
function ExportButton({ period }: { period: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap="xs" data-testid="period-export">
      <Group>
        <Button
          variant="default"
          disabled={open}
          onClick={() => {
            setOpen(true);
          }}
        >
          {t('rewards.export')}
        </Button>
      </Group>
      {open && (
        <ExportJobPanel
          title={t('rewards.export_title', { month: period })}
          startPath={`/rewards/periods/${period}/export`}
          jobPath={(id) => `/rewards/exports/${encodeURIComponent(id)}`}
          onClose={() => {
            setOpen(false);
          }}
        />
      )}
    </Stack>
  );
}

/** The last staff decision on an entry: who, when and the note (the system's creation is not one). */
function LastDecision({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const last = [...entry.history].reverse().find((change) => change.by !== 'system');
  if (!last) return <>—</>;
  return (
    <Stack gap={0}>
      <Text size="xs">{t('rewards.changed_by', { at: formatDateTime(last.at), by: last.by })}</Text>
      {last.note && (
        <Text size="xs" fs="italic">
          {last.note}
        </Text>
      )}
    </Stack>
  );
}

interface Pending {
  decision: Decision;
  entries: Entry[];
}

/** The manager's reconciliation of a month: its totals and lock, its entries by state (held: the
 * fraud review queue, the flags explained), decisions one by one or in bulk, the month's lock and
 * its Excel export. Customer service reads the entries only. */
export function ReconciliationPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const { cursor } = useUrlCursor();
  const period = PERIOD.test(filters.period) ? filters.period : previousMonth();
  const state = (ENTRY_STATES as readonly string[]).includes(filters.state) ? (filters.state as EntryState) : null;
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayReconcile = roles.some((r) => RECONCILERS.includes(r));
  const mayDecide = roles.some((r) => DECIDERS.includes(r));
  const entries = useEntries(period, state ?? '', cursor);
  const totals = usePeriod(period, mayReconcile);
  const month = totals.data;
  const locked = month?.status === 'locked';
  const open = month?.status === 'open';
  const [selected, setSelected] = useState<Entry[]>([]);
  const [shownPage, setShownPage] = useState(`${period}/${state ?? ''}/${cursor}`);
  const [pending, setPending] = useState<Pending | null>(null);
  const [locking, setLocking] = useState(false);
  if (shownPage !== `${period}/${state ?? ''}/${cursor}`) {
    // another month, state or page: what was selected is no longer shown
    setShownPage(`${period}/${state ?? ''}/${cursor}`);
    setSelected([]);
  }
  const mayPartners = mayUse('/partners', roles);
  const decide = (decision: Decision, chosen: Entry[]) => {
    setPending({ decision, entries: chosen });
  };

  const columns: DataTableColumn<Entry>[] = [
    {
      accessor: 'serial',
      title: t('rewards.serial_model'),
      noWrap: true,
      render: (e) => (
        <Stack gap={0}>
          <Text ff="monospace" size="sm">
            {e.serial}
          </Text>
          <Text size="xs">{e.model_code}</Text>
        </Stack>
      ),
    },
    {
      accessor: 'partner_name',
      title: t('rewards.partner'),
      noWrap: true,
      render: (e) => {
        const name = e.partner_name ?? (e.partner_id ? e.partner_id : t('rewards.no_partner'));
        return e.partner_id && mayPartners ? (
          <Anchor component={Link} to={`/partners/${encodeURIComponent(e.partner_id)}`} size="sm">
            {name}
          </Anchor>
        ) : (
          name
        );
      },
    },
    { accessor: 'amount', title: t('rewards.amount'), textAlign: 'right', noWrap: true, render: (e) => formatVnd(e.amount) },
    { accessor: 'state', title: t('rewards.state'), noWrap: true, render: (e) => <EntryStateBadge state={e.state} /> },
    {
      // a held entry's fraud signals, or why an installation earns nothing
      accessor: 'flags',
      title: t('rewards.flags_reason'),
      render: (e) => (e.reason ? t(`rewards.reason.${e.reason}`) : <FlagBadges flags={e.flags} />),
    },
    { accessor: 'activated_at', title: t('rewards.activated_at'), noWrap: true, render: (e) => formatDateTime(e.activated_at) },
    { accessor: 'history', title: t('rewards.decision'), render: (e) => <LastDecision entry={e} /> },
    ...(mayDecide
      ? [
          {
            accessor: 'actions',
            title: t('rewards.actions'),
            render: (e: Entry) =>
              UNDECIDED.has(e.state) ? (
                <Group gap={4} wrap="nowrap" data-testid="entry-actions">
                  <Button
                    size="compact-sm"
                    disabled={!open}
                    aria-label={t('rewards.approve_one', { serial: e.serial })}
                    onClick={() => {
                      decide('approve', [e]);
                    }}
                  >
                    {t('rewards.approve')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="default"
                    disabled={!open}
                    aria-label={t('rewards.reject_one', { serial: e.serial })}
                    onClick={() => {
                      decide('reject', [e]);
                    }}
                  >
                    {t('rewards.reject')}
                  </Button>
                </Group>
              ) : (
                '—'
              ),
          } satisfies DataTableColumn<Entry>,
        ]
      : []),
  ];

  const tabs = ['all', ...ENTRY_STATES] as const;
  const countOf = (tab: (typeof tabs)[number]) =>
    month ? (tab === 'all' ? month.entries : month.states[tab].count) : null;

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('rewards.title')}
        </Title>
        {mayUse('/rewards/rules', roles) && (
          <Anchor component={Link} to="/rewards/rules">
            {t('rewards.to_rules')}
          </Anchor>
        )}
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <MonthPickerInput
          label={t('rewards.month')}
          valueFormat="MM/YYYY"
          value={`${period}-01`}
          maxDate={new Date()}
          onChange={(picked) => {
            const day = dayOf(picked);
            if (day) setFilters({ period: day.slice(0, 7) });
          }}
          w={160}
        />
        {month && (
          <Text data-testid="period-status" role="status">
            {locked
              ? t('rewards.locked_by', { at: formatDateTime(month.locked_at), by: month.locked_by ?? '' })
              : month.undecided
                ? t('rewards.open_undecided', { count: month.undecided })
                : t('rewards.open_decided')}
          </Text>
        )}
      </Group>
      {totals.isError && <Alert color="red" role="alert" title={totals.error.message} />}
      {month && <Totals period={month} />}
      {mayReconcile && (
        <Group align="flex-start" gap="sm" wrap="wrap">
          {mayDecide && (
            <Button
              variant="default"
              disabled={!open || month.undecided > 0}
              onClick={() => {
                setLocking(true);
              }}
            >
              {t('rewards.lock')}
            </Button>
          )}
          <ExportButton key={period} period={period} />
        </Group>
      )}
      {mayDecide && open && month.undecided > 0 && <Text size="sm">{t('rewards.lock_needs_decisions')}</Text>}
      {locked && mayDecide && <Text size="sm">{t('rewards.locked_explain')}</Text>}
      <Tabs
        value={state ?? 'all'}
        onChange={(value) => {
          setFilters({ state: value === 'all' || !value ? '' : value });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label={t('rewards.by_state')}>
          {tabs.map((tab) => {
            const count = countOf(tab);
            const label = tab === 'all' ? t('rewards.all') : tab === 'held' ? t('rewards.flags_tab') : t(`rewards.state.${tab}`);
            return (
              <Tabs.Tab key={tab} value={tab}>
                {count === null ? label : `${label} (${String(count)})`}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
      </Tabs>
      {state === 'held' && <FlagLegend />}
      {mayDecide && (
        <Group gap="sm" wrap="wrap" data-testid="bulk-actions">
          <Text size="sm">{t('rewards.selected', { count: selected.length, max: BULK_MAX })}</Text>
          <Button
            size="compact-md"
            disabled={!open || !selected.length}
            onClick={() => {
              decide('approve', selected);
            }}
          >
            {t('rewards.approve_selected', { count: selected.length })}
          </Button>
          <Button
            size="compact-md"
            variant="default"
            disabled={!open || !selected.length}
            onClick={() => {
              decide('reject', selected);
            }}
          >
            {t('rewards.reject_selected', { count: selected.length })}
          </Button>
        </Group>
      )}
      <ServerTable
        query={entries}
        columns={columns}
        idAccessor="serial"
        caption={t('rewards.entries_of', { month: `${period.slice(5)}/${period.slice(0, 4)}` })}
        emptyText={t(state ? `rewards.empty.${state}` : 'rewards.empty_month')}
        selection={
          mayDecide && open
            ? {
                selected,
                onChange: (records) => {
                  setSelected(records.slice(0, BULK_MAX));
                },
                isSelectable: (e) => UNDECIDED.has(e.state),
                labelOf: (e) => t('rewards.select_one', { serial: e.serial }),
                allLabel: t('rewards.select_all'),
              }
            : undefined
        }
      />
      <Modal
        opened={pending !== null}
        onClose={() => {
          setPending(null);
        }}
        title={pending ? t(`rewards.${pending.decision}_title`, { count: pending.entries.length }) : ''}
        closeButtonProps={{ 'aria-label': t('rewards.close') }}
        centered
      >
        {pending && (
          <DecisionForm
            period={period}
            decision={pending.decision}
            entries={pending.entries}
            onDone={(decided) => {
              setSelected((current) => current.filter((e) => !decided.includes(e.serial)));
            }}
            onClose={() => {
              setPending(null);
            }}
          />
        )}
      </Modal>
      <Modal
        opened={locking}
        onClose={() => {
          setLocking(false);
        }}
        title={t('rewards.lock_title', { month: `${period.slice(5)}/${period.slice(0, 4)}` })}
        closeButtonProps={{ 'aria-label': t('rewards.close') }}
        centered
      >
        {locking && month && (
          <LockForm
            period={month}
            onClose={() => {
              setLocking(false);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
