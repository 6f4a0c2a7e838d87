import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../auth/session';
import { fieldErrorsFrom } from '../../components/forms';
import { mayUse } from '../../shell/menu';
import { formatDateTime, formatVnd } from '../format';
import { percent, usePayoutSettings } from '../payouts/api';
import { COMMITMENT_WRITERS, NOTE_MAX, useSetCommitment, type PartnerDetail } from './api';

function CommitmentForm({ partner, onFile, onClose }: { partner: PartnerDetail; onFile: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const record = useSetCommitment(partner.partner_id);
  const action = onFile ? 'record' : 'withdraw';
  const form = useForm({
    mode: 'controlled',
    initialValues: { note: '' },
    validate: {
      note: (value) => (value.length > NOTE_MAX ? t('partners.note_too_long', { max: NOTE_MAX }) : null),
    },
  });
  const submit = form.onSubmit((values) => {
    record.mutate(
      { on_file: onFile, note: values.note.trim() },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: t(`partners.tax.done_${action}`, { name: partner.name }),
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
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{t(`partners.tax.confirm_${action}`, { name: partner.name })}</Text>
        <Textarea
          label={t('partners.note')}
          description={t('partners.note_optional')}
          autosize
          minRows={3}
          maxLength={NOTE_MAX}
          data-autofocus
          {...form.getInputProps('note')}
        />
        {record.isError && !record.error.fields.length && <Alert color="red" role="alert" title={record.error.message} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('partners.cancel')}
          </Button>
          <Button type="submit" loading={record.isPending}>
            {t(`partners.tax.${action}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What the form means for the next batch: waived, or withheld at the setting in effect (read
 * when the role may read it; otherwise said without figures). */
function NextPayout({ onFile, roles }: { onFile: boolean; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const settings = usePayoutSettings(!onFile && mayUse('/payouts', roles));
  if (onFile) return <Text data-testid="commitment-effect">{t('partners.tax.waived')}</Text>;
  const current = settings.data?.current;
  return (
    <Text data-testid="commitment-effect">
      {current
        ? t('partners.tax.withheld', { rate: percent(current.rate_bp), threshold: formatVnd(current.threshold) })
        : t('partners.tax.withheld_unset')}
    </Text>
  );
}

/** The partner's personal income tax: whether the commitment form 08/CK-TNCN is on file (who
 * recorded it, when, why), what that means for the next payout, and for admin and accountant
 * the control that records it or withdraws it. */
export function CommitmentSection({ partner, roles }: { partner: PartnerDetail; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<boolean | null>(null); // the dialog's: on file or not
  const mayRecord = roles.some((r) => COMMITMENT_WRITERS.includes(r));
  const commitment = partner.commitment;
  const onFile = commitment?.on_file ?? false;
  const action = onFile ? 'withdraw' : 'record';
  return (
    <section aria-labelledby="tax-title">
      <Title order={2} size="h3" id="tax-title" mb="xs">
        {t('partners.tax.title')}
      </Title>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Group justify="space-between" gap="sm">
            <Group gap="xs">
              <Text fw={600}>{t('partners.tax.form')}</Text>
              <Badge
                variant="outline"
                data-testid="commitment-state"
                styles={{
                  root: onFile
                    ? { color: 'var(--ok)', borderColor: 'var(--ok)', background: 'var(--ok-bg)' }
                    : { color: 'var(--muted)', borderColor: 'var(--muted)', background: 'var(--card)' },
                }}
              >
                {t(onFile ? 'partners.tax.on_file' : 'partners.tax.not_on_file')}
              </Badge>
            </Group>
            {mayRecord && (
              <Button
                variant={onFile ? 'default' : 'filled'}
                data-testid="commitment-action"
                onClick={() => {
                  setTarget(!onFile);
                }}
              >
                {t(`partners.tax.${action}`)}
              </Button>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('partners.tax.explain')}
          </Text>
          <Text size="sm" data-testid="commitment-recorded">
            {commitment
              ? t(commitment.on_file ? 'partners.tax.recorded' : 'partners.tax.withdrawn', {
                  at: formatDateTime(commitment.at),
                  by: commitment.by,
                })
              : t('partners.tax.never')}
          </Text>
          {commitment?.note && (
            <Text size="sm" fs="italic" data-testid="commitment-note">
              {commitment.note}
            </Text>
          )}
          <NextPayout onFile={onFile} roles={roles} />
        </Stack>
      </Paper>
      <Modal
        opened={target !== null}
        onClose={() => {
          setTarget(null);
        }}
        title={t(target === false ? 'partners.tax.withdraw' : 'partners.tax.record')}
        closeButtonProps={{ 'aria-label': t('partners.cancel') }}
        centered
      >
        {target !== null && (
          <CommitmentForm
            partner={partner}
            onFile={target}
            onClose={() => {
              setTarget(null);
            }}
          />
        )}
      </Modal>
    </section>
  );
}
