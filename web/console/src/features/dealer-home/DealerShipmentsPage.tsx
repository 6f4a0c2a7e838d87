import { Anchor, Group, Select, Stack, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DayInput } from '../../components/DayInput';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDay } from '../format';
import { ShipmentStatusBadge, shippedCount } from '../shipments/parts';
import { DEALER_SHIPMENT_STATUSES, shipmentFilterNames, useDealerShipments, type DealerShipmentSummary } from './api';

export const dealerShipmentPath = (shipmentId: string) => `/dealer/shipments/${encodeURIComponent(shipmentId)}`;

/** The shipments that brought units to the signed-in user's dealer, the latest first (on a
 * phone, one card each). */
export function DealerShipmentsPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(shipmentFilterNames);
  const { cursor } = useUrlCursor();
  const shipments = useDealerShipments(filters, cursor);
  const columns: DataTableColumn<DealerShipmentSummary>[] = [
    {
      accessor: 'document_number',
      title: t('shipments.document_number'),
      render: (s) => (
        <Anchor
          component={Link}
          to={dealerShipmentPath(s.shipment_id)}
          style={{ overflowWrap: 'anywhere' }}
        >
          {s.document_number}
        </Anchor>
      ),
    },
    { accessor: 'ship_date', title: t('shipments.ship_date'), noWrap: true, render: (s) => formatDay(s.ship_date) },
    { accessor: 'status', title: t('shipments.status'), render: (s) => <ShipmentStatusBadge status={s.status} /> },
    { accessor: 'shipped', title: t('shipments.units'), render: (s) => shippedCount(s, s.status === 'cancelled', t) },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dealer_home.shipments')}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('shipments.status')}
          data={[
            { value: '', label: t('shipments.status.any') },
            ...DEALER_SHIPMENT_STATUSES.map((s) => ({ value: s, label: t(`shipments.status.${s}`) })),
          ]}
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
        caption={t('dealer_home.shipments')}
        emptyText={t('dealer_home.no_shipments')}
      />
    </Stack>
  );
}
