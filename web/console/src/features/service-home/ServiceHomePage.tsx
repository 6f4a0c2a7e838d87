import { Alert, Anchor, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { mayUse } from '../../shell/menu';
import { ProvincesServed } from '../service-centers/parts';
import { useServiceMe } from './api';

/** Where the company's requests are: the claims screens' "mine" list once the console has it
 * (its menu item), a placeholder until then. */
function ServiceRequests() {
  const { t } = useTranslation();
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  return (
    <Paper withBorder p="md" data-testid="service-requests">
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('service_home.requests')}
        </Title>
        {mayUse('/claims/mine', roles) ? (
          <Anchor component={Link} to="/claims/mine">
            {t('service_home.requests_open')}
          </Anchor>
        ) : (
          <Text size="sm">{t('service_home.requests_soon')}</Text>
        )}
      </Stack>
    </Paper>
  );
}

/** A partner service company's user's home: its company (GET /service/me) and its requests. */
export function ServiceHomePage() {
  const { t } = useTranslation();
  const me = useServiceMe();
  const center = me.data?.center;
  return (
    <Stack>
      <Title order={1} size="h2">
        {center ? center.name : t('service_home.title')}
      </Title>
      {me.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {me.isError && <Alert color="red" role="alert" title={me.error.message} />}
      {me.data && center && (
        <>
          <Text size="sm">{t('service_home.signed_in_as', { username: me.data.username, code: center.code })}</Text>
          <ServiceRequests />
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label={t('centers.provinces')}>
                <ProvincesServed provinces={center.provinces} />
              </Field>
              <Field label={t('centers.phone')}>{center.phone || '—'}</Field>
              <Field label={t('centers.address')}>{center.address || '—'}</Field>
              <Field label={t('centers.hours')}>{center.hours || '—'}</Field>
            </SimpleGrid>
          </Paper>
        </>
      )}
    </Stack>
  );
}
