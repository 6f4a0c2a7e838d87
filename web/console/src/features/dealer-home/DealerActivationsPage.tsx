import { Stack, Text, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { useDealerActivations, type DealerActivation } from './api';

/** The dealer's units that customers activated, customers masked as the API gives them. */
export function DealerActivationsPage() {
  const { t } = useTranslation();
  const { cursor } = useUrlCursor();
  const activations = useDealerActivations(cursor);
  const columns: DataTableColumn<DealerActivation>[] = [
    { accessor: 'serial', title: t('dealer_home.serial'), noWrap: true },
    { accessor: 'model_code', title: t('dealer_home.model') },
    {
      accessor: 'activated_at',
      title: t('dealer_home.activated_at'),
      render: (a) => (a.activated_at ? formatDateTime(a.activated_at) : '—'),
    },
    { accessor: 'customer_name', title: t('dealer_home.customer') },
    { accessor: 'customer_phone', title: t('dealer_home.customer_phone'), noWrap: true },
    {
      accessor: 'channel',
      title: t('dealer_home.channel'),
      // the staff pages' labels of the same channels (web: the buyer's own QR scan)
      render: (a) => (a.channel ? t(`dashboard.channel.${a.channel}`, { defaultValue: a.channel }) : '—'),
    },
  ];
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('dealer_home.activations')}
      </Title>
      <Text size="sm">{t('dealer_home.masked')}</Text>
      <ServerTable
        query={activations}
        columns={columns}
        idAccessor="serial"
        caption={t('dealer_home.activations')}
        emptyText={t('dealer_home.no_activations')}
      />
    </Stack>
  );
}
