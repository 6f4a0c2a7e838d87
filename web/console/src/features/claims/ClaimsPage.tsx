import { Alert, Anchor, Button, Checkbox, Group, Loader, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import {
  CLAIM_STATES,
  CLAIM_TYPES,
  DESK,
  PHONE_READERS,
  ROUTINGS,
  claimFilterNames,
  useBoard,
  useClaims,
  useColumnMore,
  type BoardColumn,
  type ClaimSummary,
} from './api';
import { BreachedBadge, ClaimCard, StateBadge, VerdictBadge, ageText, assigneeText, customerText } from './parts';

function useRoles() {
  const session = useSession();
  return session.status === 'signed_in' ? session.session.roles : [];
}

/** One state's column: its count, its first cards (the longest waiting first), "more". */
function Column({ column, fullPhone }: { column: BoardColumn; fullPhone: boolean }) {
  const { t } = useTranslation();
  const more = useColumnMore(column.state);
  const [extra, setExtra] = useState<ClaimSummary[]>([]);
  const [cursor, setCursor] = useState(column.next_cursor);
  const cards = [...column.claims, ...extra];
  const title = t(`claims.state.${column.state}`);
  return (
    <Paper withBorder p="xs" radius="sm" component="section" aria-label={title} data-testid={`column-${column.state}`} className="claims-column">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <StateBadge state={column.state} />
        <Text size="sm" fw={700} aria-label={t('claims.column_count', { count: column.count })}>
          {column.count}
        </Text>
      </Group>
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
        {cards.map((claim) => (
          <ClaimCard key={claim.claim_id} claim={claim} fullPhone={fullPhone} />
        ))}
      </Stack>
      {cursor && (
        <Button
          mt="xs"
          fullWidth
          variant="default"
          size="compact-sm"
          loading={more.isPending}
          onClick={() => {
            more.mutate(cursor, {
              onSuccess: (page) => {
                setExtra((current) => [...current, ...page.claims]);
                setCursor(page.next_cursor);
              },
            });
          }}
        >
          {t('claims.more_in', { state: title })}
        </Button>
      )}
      {more.isError && <Alert color="red" role="alert" mt="xs" title={more.error.message} />}
    </Paper>
  );
}

function Board({ fullPhone }: { fullPhone: boolean }) {
  const { t } = useTranslation();
  const board = useBoard();
  if (board.isPending) return <Loader role="status" aria-label={t('state.loading')} />;
  if (board.isError) return <Alert color="red" role="alert" title={board.error.message} />;
  const columns = board.data.filter((c) => c.count > 0 || c.claims.length > 0);
  if (columns.length === 0) return <Text c="dimmed">{t('claims.empty')}</Text>;
  return (
    // scrolls sideways inside itself (the page does not); reachable by keyboard
    <div className="claims-board" role="region" aria-label={t('claims.board')} tabIndex={0} data-testid="claims-board">
      {columns.map((column) => (
        <Column key={column.state} column={column} fullPhone={fullPhone} />
      ))}
    </div>
  );
}

function Table({ fullPhone }: { fullPhone: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlFilters(claimFilterNames);
  const { cursor } = useUrlCursor();
  const claims = useClaims(filters, cursor);
  const [assignee, setAssignee] = useState(filters.assignee);
  const [serial, setSerial] = useState(filters.serial);
  const [phone, setPhone] = useState(filters.phone);
  const any = (label: string) => ({ value: '', label });
  const columns: DataTableColumn<ClaimSummary>[] = [
    {
      accessor: 'claim_id',
      title: t('claims.reference'),
      noWrap: true,
      render: (c) => (
        <Anchor component={Link} to={`/claims/${encodeURIComponent(c.claim_id)}`} ff="monospace">
          {c.claim_id}
        </Anchor>
      ),
    },
    { accessor: 'state', title: t('claims.state_label'), noWrap: true, width: 190, render: (c) => <StateBadge state={c.state} /> },
    { accessor: 'model_code', title: t('claims.model'), render: (c) => `${c.model_name || c.model_code} · ${c.serial}` },
    { accessor: 'customer_name', title: t('claims.customer'), render: (c) => customerText(c, fullPhone) },
    { accessor: 'claim_type', title: t('claims.type_label'), render: (c) => t(`claims.type.${c.claim_type}`) },
    { accessor: 'verdict', title: t('claims.verdict_label'), render: (c) => <VerdictBadge status={c.verdict} /> },
    { accessor: 'assignee_key', title: t('claims.assignee'), render: (c) => assigneeText(c, t) },
    {
      accessor: 'ageing_hours',
      title: t('claims.age'),
      noWrap: true,
      render: (c) => (
        <Group gap={4} wrap="nowrap">
          <Text size="sm" c={c.breached ? 'var(--bad)' : undefined}>
            {ageText(c.ageing_hours, t)}
          </Text>
          {c.breached && <BreachedBadge />}
        </Group>
      ),
    },
  ];
  return (
    <Stack>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('claims.state_label')}
          data={[any(t('claims.any_state')), ...CLAIM_STATES.map((s) => ({ value: s, label: t(`claims.state.${s}`) }))]}
          value={filters.state}
          allowDeselect={false}
          onChange={(value) => {
            setFilters({ state: value ?? '' });
          }}
          w={190}
        />
        <Select
          label={t('claims.type_label')}
          data={[any(t('claims.any_type')), ...CLAIM_TYPES.map((s) => ({ value: s, label: t(`claims.type.${s}`) }))]}
          value={filters.type}
          allowDeselect={false}
          onChange={(value) => {
            setFilters({ type: value ?? '' });
          }}
          w={170}
        />
        <Select
          label={t('claims.routing_label')}
          data={[any(t('claims.any_routing')), ...ROUTINGS.map((s) => ({ value: s, label: t(`claims.routing.${s}`) }))]}
          value={filters.routing}
          allowDeselect={false}
          onChange={(value) => {
            setFilters({ routing: value ?? '' });
          }}
          w={170}
        />
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFilters({ assignee: assignee.trim(), serial: serial.trim(), phone: fullPhone ? phone.trim() : '' });
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('claims.serial')}
              value={serial}
              w={170}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              onChange={(event) => {
                setSerial(event.currentTarget.value);
              }}
            />
            {fullPhone && (
              <TextInput
                label={t('claims.phone_filter')}
                value={phone}
                w={150}
                inputMode="tel"
                onChange={(event) => {
                  setPhone(event.currentTarget.value);
                }}
              />
            )}
            <TextInput
              label={t('claims.assignee')}
              description={t('claims.assignee_filter_hint')}
              value={assignee}
              w={190}
              onChange={(event) => {
                setAssignee(event.currentTarget.value);
              }}
            />
            <Button type="submit" variant="default">
              {t('action.search')}
            </Button>
          </Group>
        </form>
        <DayInput
          label={t('claims.from')}
          value={filters.from}
          onChange={(day) => {
            setFilters({ from: day });
          }}
        />
        <DayInput
          label={t('claims.to')}
          value={filters.to}
          onChange={(day) => {
            setFilters({ to: day });
          }}
        />
        <Checkbox
          label={t('claims.breached_only')}
          checked={filters.breached === 'true'}
          onChange={(event) => {
            setFilters({ breached: event.currentTarget.checked ? 'true' : '' });
          }}
          mb={8}
        />
      </Group>
      <ServerTable
        query={claims}
        columns={columns}
        idAccessor="claim_id"
        caption={t('claims.title')}
        emptyText={t('claims.empty')}
        onRowClick={(c) => {
          void navigate(`/claims/${encodeURIComponent(c.claim_id)}`);
        }}
      />
    </Stack>
  );
}

/** Service requests: the board (a column per state, SLA breaches in red) or the table with its
 * filters in the URL (`/claims/table?state=…`). */
export function ClaimsPage({ view }: { view: 'board' | 'table' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const roles = useRoles();
  const fullPhone = roles.some((r) => PHONE_READERS.includes(r));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('claims.title')}
        </Title>
        {roles.some((r) => DESK.includes(r)) && (
          <Button component={Link} to="/claims/new">
            {t('claims.new')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        aria-label={t('claims.view')}
        w="fit-content"
        data={[
          { value: 'board', label: t('claims.board') },
          { value: 'table', label: t('claims.table') },
        ]}
        value={view}
        onChange={(value) => {
          void navigate(value === 'table' ? '/claims/table' : '/claims');
        }}
      />
      {view === 'board' ? <Board fullPhone={fullPhone} /> : <Table fullPhone={fullPhone} />}
    </Stack>
  );
}

export function ClaimsBoardPage() {
  return <ClaimsPage view="board" />;
}

export function ClaimsTablePage() {
  return <ClaimsPage view="table" />;
}
