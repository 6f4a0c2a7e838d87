// What the registries with an active/suspended/closed status share (dealers, service centres;
// the API's core.lifecycle): the badge, the status history with its notes, and the dialog that
// moves the status with a confirmation and a note. Texts come from the registry's own catalogue
// keys under `ns` (`dealers.status.active`, `centers.confirm.suspend`, …): the same words, the
// registry's own sentences.
import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { ApiError } from '../api/errors';
import { actorName, formatDateTime } from '../features/format';
import { fieldErrorsFrom } from './forms';

export const LIFECYCLE_STATUSES = ['active', 'suspended', 'closed'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export interface StatusChange {
  at: string;
  by: string;
  from: LifecycleStatus | null;
  to: LifecycleStatus;
  note: string;
}

/** The status changes the API allows from each status (anything else is a 409). */
export const NEXT_STATUSES: Record<LifecycleStatus, readonly LifecycleStatus[]> = {
  active: ['suspended', 'closed'],
  suspended: ['active', 'closed'],
  closed: [],
};
export const NOTE_REQUIRED: ReadonlySet<LifecycleStatus> = new Set(['suspended', 'closed']);
export const NOTE_MAX = 500;

/** The action that moves a record to `to` (active from suspended: reinstate). */
export function actionOf(to: LifecycleStatus): string {
  if (to === 'active') return 'reinstate';
  return to === 'suspended' ? 'suspend' : 'close';
}

// The shared tokens' state colours (text over its own background, AA at badge size).
const TONES: Record<LifecycleStatus, [string, string]> = {
  active: ['var(--ok)', 'var(--ok-bg)'],
  suspended: ['var(--bad)', 'var(--bad-bg)'],
  closed: ['var(--muted)', 'var(--card)'],
};

export function LifecycleBadge({ ns, status }: { ns: string; status: LifecycleStatus }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`${ns}.status.${status}`)}
    </Badge>
  );
}

/** `POST <path>/status` `{status, note?}`: the answer (the record's detail) replaces the cached
 * detail under `detailKey`; the lists under `listKey` are read again. */
export function useSetStatus<T>(path: string, detailKey: readonly unknown[], listKey: string) {
  const queryClient = useQueryClient();
  return useMutation<T, ApiError, { status: LifecycleStatus; note: string }>({
    mutationFn: ({ status, note }) =>
      api<T>(`${path}/status`, { method: 'POST', body: note ? { status, note } : { status } }),
    onSuccess: (record) => {
      queryClient.setQueryData(detailKey, record);
      void queryClient.invalidateQueries({ queryKey: [listKey] });
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: detailKey });
    },
  });
}

type StatusMutation = UseMutationResult<unknown, ApiError, { status: LifecycleStatus; note: string }>;

interface StatusFormProps {
  ns: string;
  name: string;
  to: LifecycleStatus;
  change: StatusMutation;
  onClose: () => void;
}

function StatusForm({ ns, name, to, change, onClose }: StatusFormProps) {
  const { t } = useTranslation();
  const required = NOTE_REQUIRED.has(to);
  const action = actionOf(to);
  const form = useForm({
    mode: 'controlled',
    initialValues: { note: '' },
    validate: {
      note: (value) => {
        if (required && !value.trim()) return t(`${ns}.note_required`);
        return value.length > NOTE_MAX ? t(`${ns}.note_too_long`, { max: NOTE_MAX }) : null;
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
            message: t(`${ns}.done.${action}`, { name }),
            closeButtonProps: { 'aria-label': t(`${ns}.close_notice`) },
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
        <Text>{t(`${ns}.confirm.${action}`, { name })}</Text>
        <Textarea
          label={t(`${ns}.note`)}
          description={required ? t(`${ns}.note_why`) : t(`${ns}.note_optional`)}
          required={required}
          autosize
          minRows={3}
          maxLength={NOTE_MAX}
          data-autofocus
          {...form.getInputProps('note')}
        />
        {change.isError && !change.error.fields.length && (
          <Alert color="red" role="alert" title={conflict ? t(`${ns}.conflict`) : change.error.message}>
            {conflict ? change.error.message : null}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t(`${ns}.cancel`)}
          </Button>
          <Button
            type="submit"
            styles={to === 'active' ? undefined : { root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
            loading={change.isPending}
          >
            {t(`${ns}.action.${action}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The confirmation of a status change (`to`, null: closed), with its note (required to suspend
 * or close), in a modal dialog; a success is told in a notification. */
export function StatusDialog({ ns, name, to, change, onClose }: Omit<StatusFormProps, 'to'> & { to: LifecycleStatus | null }) {
  const { t } = useTranslation();
  const close = () => {
    change.reset(); // the next dialog starts without this one's error
    onClose();
  };
  return (
    <Modal
      opened={to !== null}
      onClose={close}
      title={to ? t(`${ns}.action.${actionOf(to)}`) : ''}
      closeButtonProps={{ 'aria-label': t(`${ns}.cancel`) }}
      centered
    >
      {to && <StatusForm ns={ns} name={name} to={to} change={change} onClose={close} />}
    </Modal>
  );
}

/** The buttons of the moves allowed from `status`, each opening the dialog. */
export function StatusButtons(props: { ns: string; status: LifecycleStatus; onPick: (to: LifecycleStatus) => void }) {
  const { ns, status, onPick } = props;
  const { t } = useTranslation();
  return NEXT_STATUSES[status].map((to) => (
    <Button
      key={to}
      variant="default"
      onClick={() => {
        onPick(to);
      }}
    >
      {t(`${ns}.action.${actionOf(to)}`)}
    </Button>
  ));
}

/** The status history, newest first, each change with who, when and its note; a link to the
 * audit log's entries of the record when the reader may open it. */
export function StatusHistory(props: { ns: string; history: readonly StatusChange[]; auditLink: string | null }) {
  const { ns, history, auditLink } = props;
  const { t } = useTranslation();
  return (
    <>
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h3">
          {t(`${ns}.history`)}
        </Title>
        {auditLink && (
          <Anchor component={Link} to={auditLink}>
            {t(`${ns}.audit`)}
          </Anchor>
        )}
      </Group>
      <Timeline active={history.length - 1} bulletSize={14} lineWidth={2}>
        {history.map((change, index) => (
          <Timeline.Item
            key={`${change.at}-${index}`}
            title={
              change.from
                ? t(`${ns}.changed`, { from: t(`${ns}.status.${change.from}`), to: t(`${ns}.status.${change.to}`) })
                : t(`${ns}.created_as`, { to: t(`${ns}.status.${change.to}`) })
            }
          >
            <Text size="sm">{t(`${ns}.changed_by`, { at: formatDateTime(change.at), by: actorName(change.by) })}</Text>
            {change.note && (
              <Text size="sm" fs="italic">
                {change.note}
              </Text>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
    </>
  );
}
