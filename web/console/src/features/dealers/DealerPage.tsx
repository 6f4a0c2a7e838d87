import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useRoles } from '../../auth/session';
import { Field } from '../../components/Field';
import { LifecycleBadge } from '../../components/lifecycle';
import { MembersSection } from '../../components/members';
import { RecordPage } from '../../components/RegistryPages';
import { mayUse } from '../../shell/menu';
import { formatDateTime } from '../format';
import { DEALER_WRITERS, useDealer } from './api';

/** One dealer: its details, its distributor and the dealers it supplies, its status history
 * with notes, and for the admin the status changes, the edit and its users. */
export function DealerPage() {
  const { t } = useTranslation();
  const { dealerId = '' } = useParams();
  const dealer = useDealer(dealerId);
  const roles = useRoles();
  return (
    <RecordPage
      ns="dealers"
      list="/dealers"
      path={`/dealers/${encodeURIComponent(dealerId)}`}
      queryKey={['dealer', dealerId]}
      listKey="dealers"
      id={dealerId}
      query={dealer}
      writers={DEALER_WRITERS}
      auditEntity="dealer"
    >
      {(data, mayWrite) => (
        <>
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
        </>
      )}
    </RecordPage>
  );
}
