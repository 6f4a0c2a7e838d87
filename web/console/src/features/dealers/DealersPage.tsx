import { Anchor, Button, Group, Stack, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRoles } from '../../auth/session';
import { LifecycleBadge } from '../../components/lifecycle';
import { RegistryFilters } from '../../components/RegistryFilters';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { DEALER_WRITERS, dealerFilterNames, useDealers, type Dealer } from './api';

/** Dealers and distributors in code order: search by the start of a code, filter by status. */
export function DealersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(dealerFilterNames);
  const { cursor } = useUrlCursor();
  const dealers = useDealers(filters, cursor);
  const mayCreate = useRoles().some((r) => DEALER_WRITERS.includes(r));

  const columns: DataTableColumn<Dealer>[] = [
    {
      accessor: 'code',
      title: t('dealers.code'),
      noWrap: true,
      render: (d) => (
        <Anchor component={Link} to={`/dealers/${encodeURIComponent(d.dealer_id)}`}>
          {d.code}
        </Anchor>
      ),
    },
    { accessor: 'name', title: t('dealers.name') },
    { accessor: 'province', title: t('dealers.province') },
    { accessor: 'status', title: t('dealers.status'), render: (d) => <LifecycleBadge ns="dealers" status={d.status} /> },
  ];

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('dealers.title')}
        </Title>
        {mayCreate && (
          <Button component={Link} to="/dealers/new">
            {t('dealers.new')}
          </Button>
        )}
      </Group>
      <RegistryFilters ns="dealers" filters={filters} setFilters={setFilters} error={dealers.error} />
      <ServerTable
        query={dealers}
        columns={columns}
        idAccessor="dealer_id"
        caption={t('dealers.title')}
        emptyText={t('dealers.empty')}
      />
    </Stack>
  );
}
