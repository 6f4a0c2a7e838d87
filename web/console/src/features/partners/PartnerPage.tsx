import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { fieldErrorsFrom } from '../../components/forms';
import { mayUse } from '../../shell/menu';
import { formatDateTime } from '../format';
import {
  NEXT_STATUSES,
  NOTE_MAX,
  NOTE_REQUIRED,
  PARTNER_DECIDERS,
  useSetPartnerStatus,
  usePartner,
  type PartnerDetail,
  type PartnerStatus,
} from './api';
import { CommitmentSection } from './CommitmentSection';
import { PartnerStatusBadge } from './parts';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}

/** The action that moves a partner from its status to `to` (approved from suspended: reinstate). */
function actionOf(from: PartnerStatus, to: PartnerStatus): string {
  if (to === 'approved') return from === 'suspended' ? 'reinstate' : 'approve';
  return to === 'rejected' ? 'reject' : 'suspend';
}

function StatusForm({ partner, to, onClose }: { partner: PartnerDetail; to: PartnerStatus; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useSetPartnerStatus(partner.partner_id);
  const required = NOTE_REQUIRED.has(to);
  const action = actionOf(partner.status, to);
  const form = useForm({
    mode: 'controlled',
    initialValues: { note: '' },
    validate: {
      note: (value) => {
        if (required && !value.trim()) return t('partners.note_required');
        return value.length > NOTE_MAX ? t('partners.note_too_long', { max: NOTE_MAX }) : null;
      },
    },
  });
  const submit = form.onSubmit((values) => {
    change.mutate(
      { status: to, note: values.note.trim() },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: t(`partners.done.${action}`, { name: partner.name }),
            closeButtonProps: { 'aria-label': t('partners.close_notice') },
          });
          onClose();
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  const conflict = change.error?.status === 409;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{t(`partners.confirm.${action}`, { name: partner.name })}</Text>
        <Textarea
          label={t('partners.note')}
          description={required ? t('partners.note_why') : t('partners.note_optional')}
          required={required}
          autosize
          minRows={3}
          maxLength={NOTE_MAX}
          data-autofocus
          {...form.getInputProps('note')}
        />
        {change.isError && !change.error.fields.length && (
          <Alert color="red" role="alert" title={conflict ? t('partners.conflict') : change.error.message}>
            {conflict ? change.error.message : null}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('partners.cancel')}
          </Button>
          <Button
            type="submit"
            // the tokens' red (AA with white text); Mantine's red is under 4.5:1
            styles={to === 'approved' ? undefined : { root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
            loading={change.isPending}
          >
            {t(`partners.action.${action}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One partner: their details (masked for cs as the API gives them), their personal income tax
 * (the commitment form), the status history, and for admin and director the status changes the
 * API allows from where it is. */
export function PartnerPage() {
  const { t } = useTranslation();
  const { partnerId = '' } = useParams();
  const partner = usePartner(partnerId);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayDecide = roles.some((r) => PARTNER_DECIDERS.includes(r));
  const [dialog, setDialog] = useState<PartnerStatus | null>(null);
  const data = partner.data;

  return (
    <Stack>
      <Anchor component={Link} to="/partners">
        {t('partners.back')}
      </Anchor>
      <Title order={1} size="h2">
        {data ? data.name : t('partners.partner')}
      </Title>
      {partner.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {partner.isError && <Alert color="red" role="alert" title={partner.error.message} />}
      {data && (
        <>
          <Group justify="space-between" gap="sm">
            <PartnerStatusBadge status={data.status} />
            {mayDecide && NEXT_STATUSES[data.status].length > 0 && (
              <Group gap="xs" data-testid="partner-actions">
                {NEXT_STATUSES[data.status].map((to) => (
                  <Button
                    key={to}
                    variant={to === 'approved' ? 'filled' : 'default'}
                    onClick={() => {
                      setDialog(to);
                    }}
                  >
                    {t(`partners.action.${actionOf(data.status, to)}`)}
                  </Button>
                ))}
              </Group>
            )}
          </Group>
          <Text size="sm">{t(`partners.explain.${data.status}`)}</Text>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label={t('partners.phone')}>{data.phone}</Field>
              <Field label={t('partners.province')}>{data.province}</Field>
              <Field label={t('partners.citizen_id')}>
                <Code data-testid="citizen-id">{data.citizen_id}</Code>
              </Field>
              <Field label={t('partners.tax_code')}>{data.tax_code ? <Code>{data.tax_code}</Code> : '—'}</Field>
              <Field label={t('partners.bank')}>{`${data.bank.short_name} – ${data.bank.name}`}</Field>
              <Field label={t('partners.account_number')}>
                <Code data-testid="account-number">{data.account_number}</Code>
              </Field>
              <Field label={t('partners.account_holder')}>{data.account_holder}</Field>
              <Field label={t('partners.consent')}>
                {data.consent ? t('partners.consent_given', { at: formatDateTime(data.consent.given_at), version: data.consent.text_version }) : '—'}
              </Field>
              <Field label={t('partners.created_at')}>{formatDateTime(data.created_at)}</Field>
              <Field label={t('partners.created_by')}>
                {data.created_by === 'self' ? t('partners.by_partner') : data.created_by}
              </Field>
            </SimpleGrid>
          </Paper>
          <CommitmentSection partner={data} roles={roles} />
          <Group justify="space-between" align="baseline">
            <Title order={2} size="h3">
              {t('partners.history')}
            </Title>
            {mayUse('/audit', roles) && (
              <Anchor
                component={Link}
                to={`/audit?entity=partner&entity_id=${encodeURIComponent(data.partner_id)}`}
                data-testid="audit-link"
              >
                {t('partners.audit')}
              </Anchor>
            )}
          </Group>
          <Timeline active={data.history.length - 1} bulletSize={14} lineWidth={2}>
            {data.history.map((change, index) => (
              <Timeline.Item
                key={`${change.at}-${index}`}
                title={
                  change.from
                    ? t('partners.changed', { from: t(`partners.status.${change.from}`), to: t(`partners.status.${change.to}`) })
                    : t('partners.created_as', { to: t(`partners.status.${change.to}`) })
                }
              >
                <Text size="sm">
                  {t('partners.changed_by', {
                    at: formatDateTime(change.at),
                    by: change.by === 'self' ? t('partners.by_partner') : change.by,
                  })}
                </Text>
                {change.note && (
                  <Text size="sm" fs="italic">
                    {change.note}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
          <Modal
            opened={dialog !== null}
            onClose={() => {
              setDialog(null);
            }}
            title={dialog ? t(`partners.action.${actionOf(data.status, dialog)}`) : ''}
            closeButtonProps={{ 'aria-label': t('partners.cancel') }}
            centered
          >
            {dialog && (
              <StatusForm
                partner={data}
                to={dialog}
                onClose={() => {
                  setDialog(null);
                }}
              />
            )}
          </Modal>
        </>
      )}
    </Stack>
  );
}
