import { Anchor, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { ServerTable } from '../../components/ServerTable';
import { DayInput } from '../../components/DayInput';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { UNIT_STATUSES, unitFilterNames, useModels, useUnits, type UnitFilters, type UnitRow } from './api';
import { ExportPanel } from './ExportPanel';
import { StatusBadge, WarrantyBadge } from './badges';

type Typed = 'serial' | 'batch' | 'activated_from' | 'activated_to';

/** The units list: search by serial (exact, or a prefix ending in `*`), filter by model, batch,
 * status and activation days (all in the URL), owners masked; export what is shown to Excel. */
export function UnitsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(unitFilterNames);
  const { cursor } = useUrlCursor();
  const units = useUnits(filters, cursor);
  const models = useModels();
  const session = useSession();
  const [typed, setTyped] = useState<Record<Typed, string>>(() => pick(filters));
  const [shown, setShown] = useState(filters);
  const [exportFilters, setExportFilters] = useState<UnitFilters | null>(null);
  if (shown !== filters) {
    // the URL changed (back button, a link): the fields follow it
    setShown(filters);
    setTyped(pick(filters));
  }
  const isAdmin = session.status === 'signed_in' && session.session.roles.includes('admin');
  const fieldError = (name: string) => units.error?.fields.find((p) => p.field === name)?.message;

  const columns: DataTableColumn<UnitRow>[] = [
    {
      accessor: 'serial',
      title: t('units.serial'),
      noWrap: true,
      render: (u) => (
        <Anchor component={Link} to={`/units/${encodeURIComponent(u.serial)}`} ff="monospace">
          {u.serial}
        </Anchor>
      ),
    },
    { accessor: 'model_code', title: t('units.model'), noWrap: true },
    { accessor: 'status', title: t('units.status'), render: (u) => <StatusBadge status={u.status} /> },
    { accessor: 'warranty_status', title: t('units.warranty'), render: (u) => <WarrantyBadge status={u.warranty_status} /> },
    { accessor: 'batch', title: t('units.batch'), render: (u) => u.batch || '—' },
    { accessor: 'activated_at', title: t('units.activated_at'), noWrap: true, render: (u) => formatDateTime(u.activated_at) },
    {
      accessor: 'owner_name_masked',
      title: t('units.owner'),
      render: (u) => (u.owner_name_masked ? `${u.owner_name_masked} · ${u.owner_phone_masked ?? ''}` : '—'),
    },
  ];

  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilters({
      serial: typed.serial.trim(),
      batch: typed.batch.trim(),
      activated_from: typed.activated_from,
      activated_to: typed.activated_to,
    });
  };
  const text = (name: Typed, label: string, extra: Partial<React.ComponentProps<typeof TextInput>> = {}) => (
    <TextInput
      label={label}
      value={typed[name]}
      error={fieldError(name)}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setTyped((current) => ({ ...current, [name]: value }));
      }}
      {...extra}
    />
  );
  const day = (name: 'activated_from' | 'activated_to', label: string) => (
    <DayInput
      label={label}
      value={typed[name]}
      error={fieldError(name)}
      onChange={(value) => {
        setTyped((current) => ({ ...current, [name]: value }));
      }}
    />
  );
  const page = units.data;
  const partial = Boolean(page?.nextCursor && page.records.length < 25);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('units.title')}
        </Title>
        <Group gap="xs">
          {isAdmin && (
            <Button component={Link} to="/units/generate" variant="default">
              {t('units.generate')}
            </Button>
          )}
          <Button
            onClick={() => {
              setExportFilters({ ...filters });
            }}
          >
            {t('units.export')}
          </Button>
        </Group>
      </Group>
      {exportFilters && (
        <ExportPanel
          filters={exportFilters}
          onClose={() => {
            setExportFilters(null);
          }}
        />
      )}
      <form onSubmit={search} aria-label={t('units.filters')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, xl: 6 }} spacing="sm">
            {text('serial', t('units.serial'), {
              description: t('units.serial_hint'),
              autoComplete: 'off',
              spellCheck: false,
            })}
            <Select
              label={t('units.model')}
              placeholder={t('units.any_model')}
              clearable
              searchable
              data={(models.data ?? []).map((m) => ({ value: m.code, label: `${m.code} · ${m.name}` }))}
              value={filters.model || null}
              error={fieldError('model')}
              onChange={(value) => {
                setFilters({ model: value ?? '' });
              }}
            />
            <Select
              label={t('units.status')}
              placeholder={t('units.any_status')}
              clearable
              data={UNIT_STATUSES.map((s) => ({ value: s, label: t(`units.status.${s}`) }))}
              value={filters.status || null}
              onChange={(value) => {
                setFilters({ status: value ?? '' });
              }}
            />
            {text('batch', t('units.batch'), {})}
            {day('activated_from', t('units.activated_from'))}
            {day('activated_to', t('units.activated_to'))}
          </SimpleGrid>
          <Group gap="xs">
            <Button type="submit" variant="default">
              {t('action.search')}
            </Button>
          </Group>
        </Stack>
      </form>
      {partial && (
        <Text size="sm" c="dimmed" data-testid="partial-page">
          {t('units.partial_page')}
        </Text>
      )}
      <ServerTable
        query={units}
        columns={columns}
        idAccessor="serial"
        caption={t('units.title')}
        emptyText={page?.nextCursor ? t('units.empty_so_far') : t('units.empty')}
      />
    </Stack>
  );
}

function pick(filters: UnitFilters): Record<Typed, string> {
  return {
    serial: filters.serial,
    batch: filters.batch,
    activated_from: filters.activated_from,
    activated_to: filters.activated_to,
  };
}
