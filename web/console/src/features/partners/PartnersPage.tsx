import { Anchor, Button, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { PARTNER_DECIDERS, PARTNER_STATUSES, partnerFilterNames, usePartners, type Partner, type PartnerStatus } from './api';
import { PartnerStatusBadge } from './parts';

/** The installer partners by status (pending first: the review queue), oldest first, or the one
 * partner with a phone number (exact). */
export function PartnersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(partnerFilterNames);
  const { cursor } = useUrlCursor();
  const partners = usePartners(filters, cursor);
  const session = useSession();
  const mayCreate = session.status === 'signed_in' && session.session.roles.some((r) => PARTNER_DECIDERS.includes(r));
  const [phone, setPhone] = useState(filters.phone);
  const [shownPhone, setShownPhone] = useState(filters.phone);
  if (shownPhone !== filters.phone) {
    // the URL changed (back button, a link): the field follows it
    setShownPhone(filters.phone);
    setPhone(filters.phone);
  }
  const status = (filters.status || 'pending') as PartnerStatus;

  const columns: DataTableColumn<Partner>[] = [
    {
      accessor: 'name',
      title: t('partners.name'),
      render: (p) => (
        <Anchor component={Link} to={`/partners/${encodeURIComponent(p.partner_id)}`}>
          {p.name}
        </Anchor>
      ),
    },
    { accessor: 'phone', title: t('partners.phone'), noWrap: true },
    { accessor: 'province', title: t('partners.province') },
    { accessor: 'bank', title: t('partners.bank'), render: (p) => p.bank.short_name },
    { accessor: 'status', title: t('partners.status'), render: (p) => <PartnerStatusBadge status={p.status} /> },
    { accessor: 'created_at', title: t('partners.created_at'), noWrap: true, render: (p) => formatDateTime(p.created_at) },
  ];

  const searchPhone = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilters({ phone: phone.trim() });
  };
  const phoneError =
    partners.error?.fields.find((problem) => problem.field === 'phone')?.message ??
    (partners.error?.code.startsWith('phone_') ? partners.error.message : undefined);

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('partners.title')}
        </Title>
        {mayCreate && (
          <Button component={Link} to="/partners/new">
            {t('partners.new')}
          </Button>
        )}
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('partners.status')}
          allowDeselect={false}
          data={PARTNER_STATUSES.map((s) => ({ value: s, label: t(`partners.status.${s}`) }))}
          value={filters.phone ? null : status}
          placeholder={filters.phone ? t('partners.any_status') : undefined}
          onChange={(value) => {
            setFilters({ status: value === 'pending' ? '' : (value ?? ''), phone: '' });
          }}
          w={200}
        />
        <form onSubmit={searchPhone}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t('partners.phone_search')}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              value={phone}
              error={phoneError}
              onChange={(event) => {
                setPhone(event.currentTarget.value);
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
        query={partners}
        columns={columns}
        idAccessor="partner_id"
        caption={t('partners.title')}
        emptyText={filters.phone ? t('partners.none_with_phone') : t(`partners.empty.${status}`)}
      />
    </Stack>
  );
}
