import { Anchor, Group, Select, Stack, Text, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { CASE_STATUSES, caseFilterNames, kindsFor, useCases, type CaseStatus, type CaseSummary } from './api';
import { CaseStatusBadge } from './parts';

/** The partners' cases in one status (open first: the longest waiting at the top), optionally
 * of one kind; a technician's are the service cases. */
export function CasesPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(caseFilterNames);
  const { cursor } = useUrlCursor();
  const cases = useCases(filters, cursor);
  const session = useSession();
  const kinds = kindsFor(session.status === 'signed_in' ? session.session.roles : []);
  const status = (filters.status || 'open') as CaseStatus;

  const columns: DataTableColumn<CaseSummary>[] = [
    {
      accessor: 'subject',
      title: t('cases.subject'),
      render: (c) => (
        <Anchor component={Link} to={`/cases/${encodeURIComponent(c.case_id)}`}>
          {c.subject}
        </Anchor>
      ),
    },
    { accessor: 'kind', title: t('cases.kind'), render: (c) => t(`cases.kind.${c.kind}`) },
    { accessor: 'serial', title: t('cases.serial'), noWrap: true },
    { accessor: 'partner', title: t('cases.partner'), render: (c) => c.partner.name },
    { accessor: 'status', title: t('cases.status'), render: (c) => <CaseStatusBadge status={c.status} /> },
    {
      accessor: 'note_count',
      title: t('cases.notes'),
      render: (c) => (
        <Text size="sm">
          {t('cases.notes_count', { count: c.note_count })} · {t(`cases.last_by.${c.last_by}`)}
        </Text>
      ),
    },
    { accessor: 'updated_at', title: t('cases.updated_at'), noWrap: true, render: (c) => formatDateTime(c.updated_at) },
  ];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('cases.title')}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('cases.status')}
          allowDeselect={false}
          data={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) }))}
          value={status}
          onChange={(value) => {
            setFilters({ status: value === 'open' ? '' : (value ?? '') });
          }}
          w={180}
        />
        {kinds.length > 1 && (
          <Select
            label={t('cases.kind')}
            data={[{ value: '', label: t('cases.kind.any') }, ...kinds.map((k) => ({ value: k, label: t(`cases.kind.${k}`) }))]}
            value={filters.kind}
            allowDeselect={false}
            onChange={(value) => {
              setFilters({ kind: value ?? '' });
            }}
            w={180}
          />
        )}
      </Group>
      <ServerTable
        query={cases}
        columns={columns}
        idAccessor="case_id"
        caption={t('cases.title')}
        emptyText={t(`cases.empty.${status}`)}
      />
    </Stack>
  );
}
