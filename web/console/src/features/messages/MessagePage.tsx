import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { formatDateTime, formatVnd } from '../format';
import { mayBeRetried, useMessage, useRetryMessage, type MessageDetail } from './api';
import { StatusBadge } from './StatusBadge';

const RETRIERS = new Set(['admin', 'cs']);

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

function RetryButton({ message }: { message: MessageDetail }) {
  const { t } = useTranslation();
  const retry = useRetryMessage(message.message_id);
  return (
    <Button
      loading={retry.isPending}
      onClick={() => {
        retry.mutate(undefined, {
          onSuccess: () => notifications.show({ color: 'green', message: t('message.retried') }),
          onError: (error) => notifications.show({ color: 'red', title: t('message.retry_failed'), message: error.message }),
        });
      }}
    >
      {t('message.retry')}
    </Button>
  );
}

/** One message: what was sent to whom (masked), its cost, its events oldest first, and a retry
 * for customer service when the message failed or is stuck. */
export function MessagePage() {
  const { t } = useTranslation();
  const { messageId = '' } = useParams();
  const message = useMessage(messageId);
  const session = useSession();
  const mayRetry = session.status === 'signed_in' && session.session.roles.some((r) => RETRIERS.has(r));

  return (
    <Stack>
      <Anchor component={Link} to="/messages">
        {t('message.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('message.title')}
      </Title>
      {message.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {message.isError && <Alert color="red" role="alert" title={message.error.message} />}
      {message.data && (
        <>
          {message.data.disputed_at && (
            <Alert color="yellow" role="status" title={t('message.disputed')} data-testid="disputed">
              {t('message.disputed_at', { at: formatDateTime(message.data.disputed_at) })}
            </Alert>
          )}
          <Group justify="space-between">
            <StatusBadge status={message.data.status} />
            {mayRetry && mayBeRetried(message.data, message.dataUpdatedAt) && (
              <RetryButton message={message.data} />
            )}
          </Group>
          <Paper withBorder p="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field label={t('message.kind')}>
                {t(`message.kind.${message.data.kind}`, { defaultValue: message.data.kind })}
              </Field>
              <Field label={t('message.subject')}>{message.data.subject}</Field>
              <Field label={t('message.to')}>{message.data.to}</Field>
              <Field label={t('message.channel')}>{message.data.channel ? t(`dashboard.channel.${message.data.channel}`, { defaultValue: message.data.channel }) : '—'}</Field>
              <Field label={t('message.created_at')}>{formatDateTime(message.data.created_at)}</Field>
              <Field label={t('message.cost')}>
                {formatVnd(message.data.cost_vnd)}{' '}
                {message.data.cost_reported ? '' : t('message.cost_estimated')}
              </Field>
              <Field label={t('message.attempts')}>{message.data.attempts}</Field>
              <Field label={t('message.id')}>
                <Code>{message.data.message_id}</Code>
              </Field>
            </SimpleGrid>
          </Paper>
          {message.data.text && (
            <Paper withBorder p="md">
              <Field label={t('message.text')}>{message.data.text}</Field>
            </Paper>
          )}
          <Title order={2} size="h3">
            {t('message.events')}
          </Title>
          <Timeline active={message.data.events.length - 1} bulletSize={14} lineWidth={2}>
            {message.data.events.map((event, index) => (
              <Timeline.Item
                key={`${event.at}-${index}`}
                title={t(`message.status.${event.state}`, { defaultValue: event.state })}
              >
                <Text size="sm">{formatDateTime(event.at, true)}</Text>
                <Text size="sm">
                  {[event.channel && t(`dashboard.channel.${event.channel}`, { defaultValue: event.channel }), event.provider, event.reason && t(`message.reason.${event.reason}`, { defaultValue: event.reason }), event.code]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </>
      )}
    </Stack>
  );
}
