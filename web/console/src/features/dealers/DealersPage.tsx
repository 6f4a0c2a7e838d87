import { Anchor, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { LIFECYCLE_STATUSES, LifecycleBadge } from '../../components/lifecycle';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { DEALER_WRITERS, dealerFilterNames, useDealers, type Dealer } from './api';

/** Dealers and distributors in code order: search by the start of a code, filter by status. */
export function DealersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(dealerFilterNames);
  const { cursor } = useUrlCursor();
  const dealers = useDealers(filters, cursor);
  const session = useSession();
  const mayCreate = session.status === 'signed_in' && session.session.roles.some((r) => DEALER_WRITERS.includes(r));
  const [code, setCode] = useState(filters.code);
  const [shownCode, setShownCode] = useState(filters.code);
  if (shownCode !== filters.code) {
    setShownCode(filters.code);
    setCode(filters.code);
  }

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

  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilters({ code: code.trim() });
  };
  const codeError = dealers.error?.fields.find((problem) => problem.field === 'code')?.message;

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
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('dealers.status')}
          data={[
            { value: '', label: t('dealers.any_status') },
            ...LIFECYCLE_STATUSES.map((s) => ({ value: s, label: t(`dealers.status.${s}`) })),
          ]}
          value={filters.status}
          allowDeselect={false}
          onChange={(value) => {
            setFilters({ status: value ?? '' });
          }}
          w={200}
        />
        <form onSubmit={search}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t('dealers.code_search')}
              autoComplete="off"
              value={code}
              error={codeError}
              onChange={(event) => {
                setCode(event.currentTarget.value);
              }}
              w={180}
            />
            <Button type="submit" variant="default">
              {t('action.search')}
            </Button>
          </Group>
        </form>
      </Group>
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
