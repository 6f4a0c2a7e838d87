import { Alert, Anchor, Button, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { useCartons, useCreateCarton, type Carton } from './api';
import { CartonStatusBadge, useMayPack } from './parts';

const STATUSES = ['', 'open', 'closed'] as const;

/** The cartons, newest first (filtered by status), and a new carton: a generated SSCC, or the
 * code already printed on the box (typed or scanned). */
export function CartonsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { cursor } = useUrlCursor();
  const [filters, setFilters] = useUrlFilters(['status'] as const);
  const cartons = useCartons(cursor, filters.status);
  const create = useCreateCarton();
  const mayPack = useMayPack();
  const [code, setCode] = useState('');

  const open = (typed: string) => {
    create.mutate(typed.trim(), {
      onSuccess: (carton) => {
        void navigate(`/cartons/${encodeURIComponent(carton.code)}`);
      },
    });
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (code.trim()) open(code);
  };

  const columns: DataTableColumn<Carton>[] = [
    {
      accessor: 'code',
      title: t('cartons.code'),
      render: (carton) => (
        <Anchor component={Link} to={`/cartons/${encodeURIComponent(carton.code)}`} style={{ overflowWrap: 'anywhere' }}>
          {carton.label_text}
        </Anchor>
      ),
    },
    { accessor: 'status', title: t('cartons.status_title'), render: (carton) => <CartonStatusBadge status={carton.status} /> },
    { accessor: 'units', title: t('cartons.units'), textAlign: 'right' },
    {
      accessor: 'models',
      title: t('cartons.models'),
      render: (carton) => carton.models.map((m) => `${m.model_code} × ${m.units}`).join(', ') || '—',
    },
    { accessor: 'created_at', title: t('cartons.created_at'), noWrap: true, render: (c) => formatDateTime(c.created_at) },
    { accessor: 'created_by', title: t('cartons.created_by') },
  ];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('cartons.title')}
      </Title>
      <Text>{t('cartons.intro')}</Text>
      {mayPack && (
        <Stack gap="xs">
          <Title order={2} size="h3">
            {t('cartons.new')}
          </Title>
          <Group align="flex-end" wrap="wrap">
            <Button onClick={() => { open(''); }} loading={create.isPending && !code}>
              {t('cartons.new_generated')}
            </Button>
          </Group>
          <form onSubmit={submit}>
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={t('cartons.own_code')}
                description={t('cartons.own_code_hint')}
                value={code}
                onChange={(event) => { setCode(event.currentTarget.value); }}
                maxLength={64}
                autoComplete="off"
                style={{ flex: '1 1 14rem' }}
              />
              <Button type="submit" variant="light" disabled={!code.trim()} loading={create.isPending && !!code}>
                {t('cartons.new_typed')}
              </Button>
            </Group>
          </form>
          {create.isError && <Alert color="red" role="alert" title={create.error.message} />}
        </Stack>
      )}
      <Group justify="space-between" mt="md" wrap="wrap">
        <Title order={2} size="h3">
          {t('cartons.list')}
        </Title>
        <SegmentedControl
          aria-label={t('cartons.status_title')}
          value={filters.status}
          onChange={(value) => { setFilters({ status: value }); }}
          data={STATUSES.map((s) => ({ value: s, label: t(s ? `cartons.status.${s}` : 'cartons.status.all') }))}
        />
      </Group>
      <ServerTable query={cartons} columns={columns} idAccessor="code" caption={t('cartons.list')} emptyText={t('cartons.empty')} />
    </Stack>
  );
}
