import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { fieldErrorsFrom } from '../../components/forms';
import { formatVnd } from '../format';
import { NOTE_MAX, noteRequired, useDecide, useLockPeriod, type Decision, type Entry, type Outcome, type Period } from './api';

// the tokens' red (AA with white text); Mantine's red is under 4.5:1
const RED = { root: { background: 'var(--bad)', borderColor: 'var(--bad)' } };

/** Approve or reject one entry or the selected ones, with a note (required to reject, and to
 * approve an entry held by a fraud signal); the serials the API refused are listed with why. */
export function DecisionForm({
  period,
  decision,
  entries,
  onDone,
  onClose,
}: {
  period: string;
  decision: Decision;
  entries: Entry[];
  onDone: (decided: string[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const decide = useDecide(period);
  const required = noteRequired(decision, entries);
  const form = useForm({
    mode: 'controlled',
    initialValues: { note: '' },
    validate: {
      note: (value) => {
        if (required && !value.trim()) return t('rewards.note_required');
        return value.length > NOTE_MAX ? t('rewards.note_too_long', { max: NOTE_MAX }) : null;
      },
    },
  });
  const total = entries.reduce((sum, entry) => sum + entry.amount, 0);
  const refused: Outcome[] = decide.data?.outcomes.filter((o) => o.outcome === 'refused') ?? [];
  const submit = form.onSubmit((values) => {
    decide.mutate(
      { serials: entries.map((e) => e.serial), decision, note: values.note.trim() },
      {
        onSuccess: (answer) => {
          onDone(answer.outcomes.filter((o) => o.outcome === 'decided').map((o) => o.serial));
          if (answer.refused) return; // the refusals stay on screen
          notifications.show({
            color: 'green',
            message: t(`rewards.done.${decision}`, { count: answer.decided }),
            closeButtonProps: { 'aria-label': t('rewards.close') },
          });
          onClose();
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  if (decide.data && refused.length) {
    return (
      <Stack>
        <Alert color="yellow" role="alert" title={t('rewards.partly_done', { decided: decide.data.decided, refused: refused.length })}>
          <List size="sm">
            {refused.map((o) => (
              <List.Item key={o.serial}>
                {o.serial}: {t(`rewards.refused.${o.code ?? ''}`, { defaultValue: o.code ?? '' })}
              </List.Item>
            ))}
          </List>
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('rewards.close')}</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>
          {entries.length === 1
            ? t(`rewards.confirm_one.${decision}`, { serial: entries[0]?.serial ?? '', amount: formatVnd(total) })
            : t(`rewards.confirm_many.${decision}`, { count: entries.length, amount: formatVnd(total) })}
        </Text>
        {decision === 'approve' && <Text size="sm">{t('rewards.approve_tells_partner')}</Text>}
        <Textarea
          label={t('rewards.note')}
          description={required ? t(`rewards.note_why.${decision}`) : t('rewards.note_optional')}
          required={required}
          autosize
          minRows={3}
          maxLength={NOTE_MAX}
          data-autofocus
          {...form.getInputProps('note')}
        />
        {decide.isError && !decide.error.fields.length && (
          <Alert color="red" role="alert" title={decide.error.message} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('rewards.cancel')}
          </Button>
          <Button type="submit" loading={decide.isPending} styles={decision === 'reject' ? RED : undefined}>
            {t(`rewards.${decision}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Sign the month off, once the confirmation says what locking means. */
export function LockForm({ period, onClose }: { period: Period; onClose: () => void }) {
  const { t } = useTranslation();
  const lock = useLockPeriod(period.period);
  const month = `${period.period.slice(5)}/${period.period.slice(0, 4)}`;
  return (
    <Stack>
      <Text>{t('rewards.lock_means', { month })}</Text>
      <List size="sm" spacing={4}>
        <List.Item>{t('rewards.lock_means_decisions')}</List.Item>
        <List.Item>{t('rewards.lock_means_payout', { amount: formatVnd(period.states.approved.amount) })}</List.Item>
        <List.Item>{t('rewards.lock_means_final')}</List.Item>
      </List>
      {lock.isError && <Alert color="red" role="alert" title={lock.error.message} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('rewards.cancel')}
        </Button>
        <Button
          loading={lock.isPending}
          styles={RED}
          onClick={() => {
            lock.mutate(undefined, {
              onSuccess: () => {
                notifications.show({
                  color: 'green',
                  message: t('rewards.locked_done', { month }),
                  closeButtonProps: { 'aria-label': t('rewards.close') },
                });
                onClose();
              },
            });
          }}
        >
          {t('rewards.lock_confirm')}
        </Button>
      </Group>
    </Stack>
  );
}
