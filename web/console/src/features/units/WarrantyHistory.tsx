import { Alert, Anchor, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Role } from '../../auth/session';
import { mayUse } from '../../shell/menu';
import { localPhone } from '../claims/api';
import { formatDateTime, formatDay } from '../format';
import { useWarrantyHistory, type WarrantyHistory } from './api';
import { Field } from '../../components/Field';

function UnitLink({ serial }: { serial: string }) {
  return (
    <Anchor component={Link} to={`/units/${encodeURIComponent(serial)}`} ff="monospace">
      {serial}
    </Anchor>
  );
}

/** Who installed it and where it was sold, and the units it replaced or was replaced by. */
function People({ history }: { history: WarrantyHistory }) {
  const { t } = useTranslation();
  const { installer, store } = history;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Field label={t('unit.installer')}>
        {installer ? (
          <span data-testid="unit-installer">
            {installer.name} · {/^\+84\d{9}$/.test(installer.phone) ? localPhone(installer.phone) : installer.phone}
            {installer.installed_on ? ` · ${t('unit.installed_on', { day: formatDay(installer.installed_on) })}` : ''}
          </span>
        ) : (
          t('unit.installer_none')
        )}
      </Field>
      <Field label={t('unit.store')}>
        {/* the shop the installer named, else the dealer the unit was shipped to */}
        <span data-testid="unit-store">{installer?.store || store?.name || '—'}</span>
      </Field>
      {history.replaces && (
        <Field label={t('unit.replaces')}>
          <UnitLink serial={history.replaces} />
        </Field>
      )}
      {history.replaced_by && (
        <Field label={t('unit.replaced_by')}>
          <UnitLink serial={history.replaced_by} />
          {history.replaced_on ? ` · ${formatDay(history.replaced_on)}` : ''}
        </Field>
      )}
    </SimpleGrid>
  );
}

/** Every service request on the unit, newest first: its verdict and, once done, its outcome
 * (a repeat repair says how many times it was reopened). */
function Requests({ history, roles }: { history: WarrantyHistory; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const claims = [...history.claims].sort((a, b) => b.created_at.localeCompare(a.created_at));
  if (claims.length === 0) return <Text c="dimmed">{t('unit.requests_none')}</Text>;
  const linked = mayUse('/claims', roles);
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table data-testid="unit-requests" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('unit.request')}</Table.Th>
            <Table.Th>{t('unit.request_filed')}</Table.Th>
            <Table.Th>{t('claims.verdict_label')}</Table.Th>
            <Table.Th>{t('unit.request_state')}</Table.Th>
            <Table.Th>{t('claims.field.outcome')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {claims.map((claim) => (
            <Table.Tr key={claim.claim_id}>
              <Table.Td>
                {linked ? (
                  <Anchor component={Link} to={`/claims/${encodeURIComponent(claim.claim_id)}`} ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {claim.claim_id}
                  </Anchor>
                ) : (
                  <Text span ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {claim.claim_id}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {t(`claims.type.${claim.claim_type}`)}
                </Text>
              </Table.Td>
              <Table.Td>{formatDateTime(claim.created_at)}</Table.Td>
              <Table.Td>{claim.verdict ? t(`claims.verdict.${claim.verdict}`) : t('claims.verdict_none')}</Table.Td>
              <Table.Td>
                {t(`claims.state.${claim.state}`)}
                {claim.reopen_count > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('unit.request_reopened', { count: claim.reopen_count })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {claim.outcome ? t(`claims.state.${claim.outcome}`) : '—'}
                {claim.replacement_serial && (
                  <Text size="xs">
                    <UnitLink serial={claim.replacement_serial} />
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The unit's warranty history (seed 002): installer, store, replacements and every request. */
export function WarrantyHistorySection({ serial, roles }: { serial: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const history = useWarrantyHistory(serial);
  return (
    <>
      <Title order={2} size="h3">
        {t('unit.warranty_history')}
      </Title>
      <Paper withBorder p="md">
        {history.isPending && <Loader size="sm" role="status" aria-label={t('state.loading')} />}
        {history.isError && <Alert color="red" role="alert" title={history.error.message} />}
        {history.data && (
          <Stack>
            <People history={history.data} />
            <Requests history={history.data} roles={roles} />
          </Stack>
        )}
      </Paper>
    </>
  );
}
