import { Anchor, Button, Group, Stack, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRoles } from '../../auth/session';
import { LifecycleBadge } from '../../components/lifecycle';
import { RegistryFilters } from '../../components/RegistryFilters';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { CENTER_WRITERS, centerFilterNames, useCenters, type Center } from './api';
import { ProvincesServed } from './parts';

/** The brand's own service centres and the partner service companies, in code order: search by
 * the start of a code, filter by status. */
export function CentersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(centerFilterNames);
  const { cursor } = useUrlCursor();
  const centers = useCenters(filters, cursor);
  const mayCreate = useRoles().some((r) => CENTER_WRITERS.includes(r));

  const columns: DataTableColumn<Center>[] = [
    {
      accessor: 'code',
      title: t('centers.code'),
      noWrap: true,
      render: (c) => (
        <Anchor component={Link} to={`/service-centers/${encodeURIComponent(c.center_id)}`}>
          {c.code}
        </Anchor>
      ),
    },
    { accessor: 'name', title: t('centers.name') },
    { accessor: 'kind', title: t('centers.kind'), render: (c) => t(`centers.kind.${c.kind}`) },
    { accessor: 'provinces', title: t('centers.provinces'), render: (c) => <ProvincesServed provinces={c.provinces} most={3} /> },
    { accessor: 'status', title: t('centers.status'), render: (c) => <LifecycleBadge ns="centers" status={c.status} /> },
  ];

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('centers.title')}
        </Title>
        {mayCreate && (
          <Button component={Link} to="/service-centers/new">
            {t('centers.new')}
          </Button>
        )}
      </Group>
      <RegistryFilters ns="centers" filters={filters} setFilters={setFilters} error={centers.error} />
      <ServerTable
        query={centers}
        columns={columns}
        idAccessor="center_id"
        caption={t('centers.title')}
        emptyText={t('centers.empty')}
      />
    </Stack>
  );
}
