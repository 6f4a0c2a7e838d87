import { Badge, Code, Paper, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Field } from '../../components/Field';
import { MembersSection } from '../../components/members';
import { RecordPage } from '../../components/RegistryPages';
import { formatDateTime } from '../format';
import { CENTER_WRITERS, centerPath, useCenter } from './api';
import { ProvincesServed } from './parts';

/** One centre: its details, its status history with notes, and for admin and cs the status
 * changes (suspend, reinstate, close), the edit and, for a partner company, its users. */
export function CenterPage() {
  const { t } = useTranslation();
  const { centerId = '' } = useParams();
  const center = useCenter(centerId);
  return (
    <RecordPage
      ns="centers"
      list="/service-centers"
      path={centerPath(centerId)}
      queryKey={['service-center', centerId]}
      listKey="service-centers"
      id={centerId}
      query={center}
      writers={CENTER_WRITERS}
      auditEntity="service_center"
      badges={(data) => (
        <Badge variant="outline" styles={{ root: { color: 'var(--ink)', borderColor: 'var(--muted)' } }}>
          {t(`centers.kind.${data.kind}`)}
        </Badge>
      )}
    >
      {(data, mayWrite) => (
        <>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label={t('centers.code')}>
                <Code>{data.code}</Code>
              </Field>
              <Field label={t('centers.tax_code')}>{data.tax_code ? <Code>{data.tax_code}</Code> : '—'}</Field>
              <Field label={t('centers.provinces')}>
                <ProvincesServed provinces={data.provinces} />
              </Field>
              <Field label={t('centers.address')}>{data.address || '—'}</Field>
              <Field label={t('centers.phone')}>{data.phone || '—'}</Field>
              <Field label={t('centers.hours')}>{data.hours || '—'}</Field>
              <Field label={t('centers.listed')}>{t(data.listed ? 'centers.listed_yes' : 'centers.listed_no')}</Field>
              <Field label={t('centers.created_at')}>{`${formatDateTime(data.created_at)} · ${data.created_by}`}</Field>
            </SimpleGrid>
          </Paper>
          {mayWrite && data.kind === 'partner' && (
            <MembersSection ns="centers" path={centerPath(data.center_id)} closed={data.status === 'closed'} testId="center-users" />
          )}
        </>
      )}
    </RecordPage>
  );
}
