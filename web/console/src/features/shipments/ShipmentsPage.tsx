import { Anchor, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { DayInput } from '../../components/DayInput';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDay } from '../format';
import { SHIPMENT_STATUSES, SHIPMENT_WRITERS, shipmentFilterNames, useShipments, type ShipmentSummary } from './api';
import { ShipmentStatusBadge, unitsCount } from './parts';

/** Shipments to dealers, the latest ship date first, filtered by dealer, status and dates. */
export function ShipmentsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(shipmentFilterNames);
  const { cursor } = useUrlCursor();
  const shipments = useShipments(filters, cursor);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const [dealer, setDealer] = useState(filters.dealer_code);

  const columns: DataTableColumn<ShipmentSummary>[] = [
    {
      accessor: 'document_number',
      title: t('shipments.document_number'),
      render: (s) => (
        <Anchor component={Link} to={`/shipments/${encodeURIComponent(s.shipment_id)}`}>
          {s.document_number}
        </Anchor>
      ),
    },
    { accessor: 'dealer', title: t('shipments.dealer'), render: (s) => `${s.dealer.code} · ${s.dealer.name}` },
    { accessor: 'ship_date', title: t('shipments.ship_date'), noWrap: true, render: (s) => formatDay(s.ship_date) },
    { accessor: 'status', title: t('shipments.status'), render: (s) => <ShipmentStatusBadge status={s.status} /> },
    { accessor: 'total', title: t('shipments.units'), render: (s) => unitsCount(s, t) },
    { accessor: 'created_by', title: t('shipments.created_by') },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('shipments.title')}
        </Title>
        {roles.some((r) => SHIPMENT_WRITERS.includes(r)) && (
          <Button component={Link} to="/shipments/new">
            {t('shipments.new')}
          </Button>
        )}
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFilters({ dealer_code: dealer.trim().toUpperCase() });
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('shipments.dealer_code')}
              value={dealer}
              w={160}
              onChange={(event) => {
                setDealer(event.currentTarget.value);
              }}
            />
            <Button type="submit" variant="default">
              {t('action.search')}
            </Button>
          </Group>
        </form>
        <Select
          label={t('shipments.status')}
          data={[{ value: '', label: t('shipments.status.any') }, ...SHIPMENT_STATUSES.map((s) => ({ value: s, label: t(`shipments.status.${s}`) }))]}
          value={filters.status}
          allowDeselect={false}
          onChange={(value) => {
            setFilters({ status: value ?? '' });
          }}
          w={180}
        />
        <DayInput
          label={t('shipments.date_from')}
          value={filters.date_from}
          onChange={(day) => {
            setFilters({ date_from: day });
          }}
        />
        <DayInput
          label={t('shipments.date_to')}
          value={filters.date_to}
          onChange={(day) => {
            setFilters({ date_to: day });
          }}
        />
      </Group>
      <ServerTable
        query={shipments}
        columns={columns}
        idAccessor="shipment_id"
        caption={t('shipments.title')}
        emptyText={t('shipments.empty')}
      />
    </Stack>
  );
}
