import { Alert, Anchor, Button, Code, Group, Loader, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import {
  LifecycleBadge,
  StatusButtons,
  StatusDialog,
  StatusHistory,
  useSetStatus,
  type LifecycleStatus,
} from '../../components/lifecycle';
import { MembersSection } from '../../components/members';
import { mayUse } from '../../shell/menu';
import { formatDateTime } from '../format';
import { DEALER_WRITERS, useDealer, type DealerDetail } from './api';

/** One dealer: its details, its distributor and the dealers it supplies, its status history
 * with notes, and for the admin the status changes, the edit and its users. */
export function DealerPage() {
  const { t } = useTranslation();
  const { dealerId = '' } = useParams();
  const dealer = useDealer(dealerId);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayWrite = roles.some((r) => DEALER_WRITERS.includes(r));
  const [dialog, setDialog] = useState<LifecycleStatus | null>(null);
  const change = useSetStatus<DealerDetail>(`/dealers/${encodeURIComponent(dealerId)}`, ['dealer', dealerId], 'dealers');
  const data = dealer.data;

  return (
    <Stack>
      <Anchor component={Link} to="/dealers">
        {t('dealers.back')}
      </Anchor>
      <Title order={1} size="h2">
        {data ? `${data.code} · ${data.name}` : t('dealers.dealer')}
      </Title>
      {dealer.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {dealer.isError && <Alert color="red" role="alert" title={dealer.error.message} />}
      {data && (
        <>
          <Group justify="space-between" gap="sm">
            <LifecycleBadge ns="dealers" status={data.status} />
            {mayWrite && (
              <Group gap="xs" data-testid="dealer-actions">
                {data.status !== 'closed' && (
                  <Button component={Link} to={`/dealers/${encodeURIComponent(data.dealer_id)}/edit`} variant="default">
                    {t('dealers.edit')}
                  </Button>
                )}
                <StatusButtons ns="dealers" status={data.status} onPick={setDialog} />
              </Group>
            )}
          </Group>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label={t('dealers.code')}>
                <Code>{data.code}</Code>
              </Field>
              <Field label={t('dealers.province')}>{data.province}</Field>
              <Field label={t('dealers.address')}>{data.address || '—'}</Field>
              <Field label={t('dealers.tax_code')}>{data.tax_code ? <Code>{data.tax_code}</Code> : '—'}</Field>
              <Field label={t('dealers.contact_phone')}>{data.contact_phone ?? '—'}</Field>
              <Field label={t('dealers.parent')}>
                {data.parent ? (
                  <Anchor component={Link} to={`/dealers/${encodeURIComponent(data.parent.dealer_id)}`}>
                    {`${data.parent.code} · ${data.parent.name}`}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Field>
              <Field label={t('dealers.created_at')}>{formatDateTime(data.created_at)}</Field>
              <Field label={t('dealers.created_by')}>{data.created_by}</Field>
            </SimpleGrid>
          </Paper>
          <Group gap="md" data-testid="dealer-links">
            {mayUse('/shipments', roles) && (
              <Anchor component={Link} to={`/shipments?dealer_code=${encodeURIComponent(data.code)}`}>
                {t('dealers.its_shipments')}
              </Anchor>
            )}
            {mayUse('/funnel', roles) && (
              <Anchor component={Link} to={`/funnel?dealer=${encodeURIComponent(data.dealer_id)}`}>
                {t('dealers.its_funnel')}
              </Anchor>
            )}
          </Group>
          {data.dealers.length > 0 && (
            // a distributor: the dealers that buy from it
            <Title order={2} size="h3">
              {t('dealers.its_dealers')}
            </Title>
          )}
          {data.dealers.length > 0 && (
            <Stack component="ul" gap={4} data-testid="its-dealers">
              {data.dealers.map((d) => (
                <li key={d.dealer_id}>
                  <Anchor component={Link} to={`/dealers/${encodeURIComponent(d.dealer_id)}`}>
                    {`${d.code} · ${d.name}`}
                  </Anchor>{' '}
                  <LifecycleBadge ns="dealers" status={d.status} />
                </li>
              ))}
            </Stack>
          )}
          {mayWrite && (
            <MembersSection
              ns="dealers"
              path={`/dealers/${encodeURIComponent(data.dealer_id)}`}
              closed={data.status === 'closed'}
              testId="dealer-users"
            />
          )}
          <StatusHistory
            ns="dealers"
            history={data.history}
            auditLink={mayUse('/audit', roles) ? `/audit?entity=dealer&entity_id=${encodeURIComponent(data.dealer_id)}` : null}
          />
          <StatusDialog
            ns="dealers"
            name={data.name}
            to={dialog}
            change={change}
            onClose={() => {
              setDialog(null);
            }}
          />
        </>
      )}
    </Stack>
  );
}
