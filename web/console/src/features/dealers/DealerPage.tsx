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
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
  VisuallyHidden,
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
  DEALER_WRITERS,
  NEXT_STATUSES,
  NOTE_MAX,
  NOTE_REQUIRED,
  useAddDealerUser,
  useDealer,
  useDealerUsers,
  useRemoveDealerUser,
  useSetDealerStatus,
  type DealerDetail,
  type DealerStatus,
} from './api';
import { DealerStatusBadge, Field } from './parts';

/** The action that moves a dealer from its status to `to` (active from suspended: reinstate). */
function actionOf(to: DealerStatus): string {
  if (to === 'active') return 'reinstate';
  return to === 'suspended' ? 'suspend' : 'close';
}

function StatusForm({ dealer, to, onClose }: { dealer: DealerDetail; to: DealerStatus; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useSetDealerStatus(dealer.dealer_id);
  const required = NOTE_REQUIRED.has(to);
  const action = actionOf(to);
  const form = useForm({
    mode: 'controlled',
    initialValues: { note: '' },
    validate: {
      note: (value) => {
        if (required && !value.trim()) return t('dealers.note_required');
        return value.length > NOTE_MAX ? t('dealers.note_too_long', { max: NOTE_MAX }) : null;
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
            message: t(`dealers.done.${action}`, { name: dealer.name }),
            closeButtonProps: { 'aria-label': t('dealers.close_notice') },
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
        <Text>{t(`dealers.confirm.${action}`, { name: dealer.name })}</Text>
        <Textarea
          label={t('dealers.note')}
          description={required ? t('dealers.note_why') : t('dealers.note_optional')}
          required={required}
          autosize
          minRows={3}
          maxLength={NOTE_MAX}
          data-autofocus
          {...form.getInputProps('note')}
        />
        {change.isError && !change.error.fields.length && (
          <Alert color="red" role="alert" title={conflict ? t('dealers.conflict') : change.error.message}>
            {conflict ? change.error.message : null}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('dealers.cancel')}
          </Button>
          <Button
            type="submit"
            styles={to === 'active' ? undefined : { root: { background: 'var(--bad)', borderColor: 'var(--bad)' } }}
            loading={change.isPending}
          >
            {t(`dealers.action.${action}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The dealer's users (admin): add one (its temporary password shown once), remove one. */
function Users({ dealer }: { dealer: DealerDetail }) {
  const { t } = useTranslation();
  const users = useDealerUsers(dealer.dealer_id, true);
  const add = useAddDealerUser(dealer.dealer_id);
  const remove = useRemoveDealerUser(dealer.dealer_id);
  const [password, setPassword] = useState<{ username: string; password: string } | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', email: '' },
    validate: { username: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/.test(v.trim()) ? null : t('dealers.username_invalid')) },
  });
  const submit = form.onSubmit((values) => {
    const email = values.email.trim();
    add.mutate(
      { username: values.username.trim(), ...(email ? { email } : {}) },
      {
        onSuccess: (added) => {
          setPassword({ username: added.user.username, password: added.temporary_password });
          form.reset();
        },
        onError: (error) => {
          if (error.fields.length) form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t('dealers.users')}
      </Title>
      {users.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {users.isError && <Alert color="red" role="alert" title={users.error.message} />}
      {users.data && users.data.length === 0 && <Text size="sm">{t('dealers.no_users')}</Text>}
      {users.data && users.data.length > 0 && (
        <Table.ScrollContainer minWidth={420}>
          <Table data-testid="dealer-users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dealers.username')}</Table.Th>
                <Table.Th>{t('dealers.user_state')}</Table.Th>
                <Table.Th>{t('dealers.created_at')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('dealers.user_actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((user) => (
                <Table.Tr key={user.username}>
                  <Table.Td>{user.username}</Table.Td>
                  <Table.Td>
                    {user.status === 'FORCE_CHANGE_PASSWORD'
                      ? t('dealers.user_first_sign_in')
                      : user.enabled
                        ? t('dealers.user_active')
                        : t('dealers.user_disabled')}
                  </Table.Td>
                  <Table.Td>{formatDateTime(user.created_at)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      loading={remove.isPending && remove.variables === user.username}
                      onClick={() => {
                        if (window.confirm(t('dealers.remove_confirm', { username: user.username }))) {
                          remove.mutate(user.username);
                        }
                      }}
                      aria-label={t('dealers.remove_user', { username: user.username })}
                    >
                      {t('dealers.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {password && (
        <Alert color="blue" role="status" title={t('dealers.user_added', { username: password.username })}>
          <Text size="sm">{t('dealers.temporary_password_once')}</Text>
          <Code data-testid="temporary-password">{password.password}</Code>
        </Alert>
      )}
      {dealer.status !== 'closed' && (
        <form onSubmit={submit} noValidate>
          <Group align="flex-end" gap="xs" wrap="wrap">
            <TextInput label={t('dealers.username')} required autoComplete="off" {...form.getInputProps('username')} />
            <TextInput label={t('dealers.email')} type="email" autoComplete="off" {...form.getInputProps('email')} />
            <Button type="submit" loading={add.isPending}>
              {t('dealers.add_user')}
            </Button>
          </Group>
          {add.isError && !add.error.fields.length && <Alert mt="xs" color="red" role="alert" title={add.error.message} />}
        </form>
      )}
    </Stack>
  );
}

/** One dealer: its details, its distributor and the dealers it supplies, its status history
 * with notes, and for the admin the status changes, the edit and its users. */
export function DealerPage() {
  const { t } = useTranslation();
  const { dealerId = '' } = useParams();
  const dealer = useDealer(dealerId);
  const session = useSession();
  const roles = session.status === 'signed_in' ? session.session.roles : [];
  const mayWrite = roles.some((r) => DEALER_WRITERS.includes(r));
  const [dialog, setDialog] = useState<DealerStatus | null>(null);
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
            <DealerStatusBadge status={data.status} />
            {mayWrite && (
              <Group gap="xs" data-testid="dealer-actions">
                {data.status !== 'closed' && (
                  <Button component={Link} to={`/dealers/${encodeURIComponent(data.dealer_id)}/edit`} variant="default">
                    {t('dealers.edit')}
                  </Button>
                )}
                {NEXT_STATUSES[data.status].map((to) => (
                  <Button
                    key={to}
                    variant="default"
                    onClick={() => {
                      setDialog(to);
                    }}
                  >
                    {t(`dealers.action.${actionOf(to)}`)}
                  </Button>
                ))}
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
                  <DealerStatusBadge status={d.status} />
                </li>
              ))}
            </Stack>
          )}
          {mayWrite && <Users dealer={data} />}
          <Group justify="space-between" align="baseline">
            <Title order={2} size="h3">
              {t('dealers.history')}
            </Title>
            {mayUse('/audit', roles) && (
              <Anchor component={Link} to={`/audit?entity=dealer&entity_id=${encodeURIComponent(data.dealer_id)}`}>
                {t('dealers.audit')}
              </Anchor>
            )}
          </Group>
          <Timeline active={data.history.length - 1} bulletSize={14} lineWidth={2}>
            {data.history.map((change, index) => (
              <Timeline.Item
                key={`${change.at}-${index}`}
                title={
                  change.from
                    ? t('dealers.changed', { from: t(`dealers.status.${change.from}`), to: t(`dealers.status.${change.to}`) })
                    : t('dealers.created_as', { to: t(`dealers.status.${change.to}`) })
                }
              >
                <Text size="sm">{t('dealers.changed_by', { at: formatDateTime(change.at), by: change.by })}</Text>
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
            title={dialog ? t(`dealers.action.${actionOf(dialog)}`) : ''}
            closeButtonProps={{ 'aria-label': t('dealers.cancel') }}
            centered
          >
            {dialog && (
              <StatusForm
                dealer={data}
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
