import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { formatDateTime, formatDay } from '../format';
import { StatusBadge } from '../messages/StatusBadge';
import { REVEALERS, useCustomer, useRevealCustomer, type Consent, type CustomerDetail } from './api';
import { Field } from '../../components/Field';

/** Who the customer is: masked, and in full after "Show" (recorded by the API) until the user
 * leaves the page; only for the roles the API lets reveal. */
function Identity({ customer, mayReveal }: { customer: CustomerDetail; mayReveal: boolean }) {
  const { t } = useTranslation();
  const reveal = useRevealCustomer(customer.customer_id);
  const revealed = reveal.data;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label={t('customers.name')}>
            <span data-testid="customer-name">{revealed ? revealed.name || t('customers.no_name') : customer.name_masked || t('customers.no_name')}</span>
          </Field>
          <Field label={t('customers.phone')}>
            <span data-testid="customer-phone">{revealed ? revealed.phone : customer.phone_masked}</span>
          </Field>
        </SimpleGrid>
        {mayReveal && !revealed && (
          <Group gap="sm">
            <Button
              variant="default"
              loading={reveal.isPending}
              onClick={() => {
                reveal.mutate();
              }}
            >
              {t('customers.reveal')}
            </Button>
            <Text size="sm" c="var(--muted)">
              {t('customers.reveal_recorded')}
            </Text>
          </Group>
        )}
        {revealed && (
          <Text size="sm" c="var(--muted)" role="status">
            {t('customers.revealed')}
          </Text>
        )}
        {reveal.isError && <Alert color="red" role="alert" title={reveal.error.message} />}
      </Stack>
    </Paper>
  );
}

function ConsentCard({ consent }: { consent: Consent }) {
  const { t } = useTranslation();
  const [ink, background] = consent.granted ? ['var(--ok)', 'var(--ok-bg)'] : ['var(--bad)', 'var(--bad-bg)'];
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" gap="xs" mb={4}>
        <Text fw={600}>{t(`customers.purpose.${consent.purpose}`, { defaultValue: consent.purpose })}</Text>
        <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
          {t(consent.granted ? 'customers.consent.given' : 'customers.consent.withdrawn')}
        </Badge>
      </Group>
      <Text size="sm">
        {t('customers.consent.when_how', {
          at: formatDateTime(consent.at),
          channel: t(`customers.channel.${consent.channel}`, { defaultValue: consent.channel }),
        })}
      </Text>
      <Text size="sm" c="var(--muted)" style={{ overflowWrap: 'anywhere' }}>
        {t('customers.consent.evidence', { version: consent.notice_version, evidence: consent.evidence })}
      </Text>
    </Paper>
  );
}

/** One customer: masked identity with a recorded reveal, their units (to each unit's page),
 * consents per purpose with when and how given, and the messages sent to them. */
export function CustomerPage() {
  const { t } = useTranslation();
  const { customerId = '' } = useParams();
  const customer = useCustomer(customerId);
  const state: unknown = useLocation().state;
  // back to the search this page was opened from (its filters), else to an empty one
  const search =
    typeof state === 'object' && state !== null && 'search' in state && typeof state.search === 'string'
      ? state.search
      : '';
  const session = useSession();
  const mayReveal = session.status === 'signed_in' && session.session.roles.some((r) => REVEALERS.includes(r));

  return (
    <Stack>
      <Anchor component={Link} to={`/customers${search}`}>
        {t('customers.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('customers.customer')}
      </Title>
      {customer.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {customer.isError && <Alert color="red" role="alert" title={customer.error.message} />}
      {customer.data && (
        <>
          <Identity customer={customer.data} mayReveal={mayReveal} />
          <Title order={2} size="h3">
            {t('customers.units')}
          </Title>
          {customer.data.units.length ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="customer-units">
              {customer.data.units.map((unit) => (
                <Paper withBorder p="sm" key={unit.serial}>
                  <Anchor component={Link} to={`/units/${encodeURIComponent(unit.serial)}`} fw={600}>
                    {unit.serial}
                  </Anchor>
                  <Text size="sm">
                    {unit.model_code} · {t(`customers.warranty.${unit.warranty_status}`, { defaultValue: unit.warranty_status })}
                  </Text>
                  <Text size="sm" c="var(--muted)">
                    {t('customers.unit_activated', {
                      at: formatDateTime(unit.activated_at),
                      end: formatDay(unit.warranty_end),
                    })}
                  </Text>
                </Paper>
              ))}
            </SimpleGrid>
          ) : (
            <Text c="var(--muted)">{t('customers.no_units')}</Text>
          )}
          <Title order={2} size="h3">
            {t('customers.consents')}
          </Title>
          {customer.data.consents.length ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="customer-consents">
              {customer.data.consents.map((consent) => (
                <ConsentCard consent={consent} key={consent.purpose} />
              ))}
            </SimpleGrid>
          ) : (
            <Text c="var(--muted)">{t('customers.no_consents')}</Text>
          )}
          <Title order={2} size="h3">
            {t('customers.messages')}
          </Title>
          {customer.data.messages.length ? (
            <Stack gap="xs" data-testid="customer-messages">
              {customer.data.messages.map((message) => (
                <Paper withBorder p="sm" key={message.message_id}>
                  <Group justify="space-between" gap="xs" wrap="wrap">
                    <Anchor component={Link} to={`/messages/${encodeURIComponent(message.message_id)}`}>
                      {t(`message.kind.${message.kind}`, { defaultValue: message.kind })}
                    </Anchor>
                    <StatusBadge status={message.status} />
                  </Group>
                  <Text size="sm" c="var(--muted)">
                    {[formatDateTime(message.created_at), message.channel, message.subject].filter(Boolean).join(' · ')}
                  </Text>
                </Paper>
              ))}
            </Stack>
          ) : (
            <Text c="var(--muted)">{t('customers.no_messages')}</Text>
          )}
        </>
      )}
    </Stack>
  );
}
