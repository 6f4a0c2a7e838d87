import { Select, Stack, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime, formatDay } from '../format';
import { UNIT_STATUSES, unitFilterNames, useDealerUnits, type DealerUnit } from './api';

/** The units shipped to the signed-in user's dealer, in serial order, by status. */
export function DealerUnitsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(unitFilterNames);
  const { cursor } = useUrlCursor();
  const units = useDealerUnits(filters, cursor);
  const columns: DataTableColumn<DealerUnit>[] = [
    { accessor: 'serial', title: t('dealer_home.serial'), noWrap: true },
    { accessor: 'model_code', title: t('dealer_home.model') },
    { accessor: 'status', title: t('dealer_home.status'), render: (u) => t(`dealer_home.status.${u.status}`) },
    { accessor: 'shipped_on', title: t('dealer_home.shipped_on'), render: (u) => (u.shipped_on ? formatDay(u.shipped_on) : '—') },
    {
      accessor: 'activated_at',
      title: t('dealer_home.activated_at'),
      render: (u) => (u.activated_at ? formatDateTime(u.activated_at) : '—'),
    },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dealer_home.units')}
      </Title>
      <Select
        label={t('dealer_home.status')}
        data={[
          { value: '', label: t('dealer_home.any_status') },
          ...UNIT_STATUSES.map((s) => ({ value: s, label: t(`dealer_home.status.${s}`) })),
        ]}
        value={filters.status}
        allowDeselect={false}
        onChange={(value) => {
          setFilters({ status: value ?? '' });
        }}
        w={200}
      />
      <ServerTable query={units} columns={columns} idAccessor="serial" caption={t('dealer_home.units')} emptyText={t('dealer_home.no_units')} />
    </Stack>
  );
}
