import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Menu,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
  type MantineTheme,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/errors';
import { useSession, type Role } from '../../auth/session';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import {
  ROLES,
  USERNAME,
  useInvite,
  useResetPassword,
  useSetEnabled,
  useSetRoles,
  useStaffUsers,
  type StaffUser,
  type WithPassword,
} from './api';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]{2,}$/;
// The shared tokens' colours (AA at badge size; Mantine's light badges are under 4.5:1).
const tone = (ink: string, background: string) => ({
  root: { color: `var(${ink})`, borderColor: `var(${ink})`, background: `var(${background})` },
});
// On a phone the roles and status columns fold into the account's cell.
const WIDE = (theme: MantineTheme) => `(min-width: ${theme.breakpoints.sm})`;

function RoleBadges({ user }: { user: StaffUser }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {user.roles.map((role) => (
        <Badge key={role} variant="outline" styles={tone('--muted', '--card')}>
          {t(`role.${role}`)}
        </Badge>
      ))}
    </Group>
  );
}

function UserStatus({ user }: { user: StaffUser }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Badge variant="outline" styles={user.enabled ? tone('--ok', '--ok-bg') : tone('--bad', '--bad-bg')}>
        {t(user.enabled ? 'staff.enabled' : 'staff.disabled')}
      </Badge>
      {user.status === 'FORCE_CHANGE_PASSWORD' && <Text size="xs">{t('staff.must_set_password')}</Text>}
    </Stack>
  );
}

type Dialog =
  | { kind: 'invite' }
  | { kind: 'roles'; user: StaffUser }
  | { kind: 'enabled'; user: StaffUser }
  | { kind: 'reset'; user: StaffUser };

/** The temporary password of a new or reset account, shown this once with a copy button. */
function TemporaryPassword({ result, onDone }: { result: WithPassword; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="yellow" role="status" title={t('staff.temporary_once')}>
        {t('staff.temporary_hand_over', { username: result.user.username })}
      </Alert>
      <Group gap="xs" wrap="nowrap">
        <Code fz="lg" data-testid="temporary-password" style={{ overflowWrap: 'anywhere' }}>
          {result.temporary_password}
        </Code>
        <CopyButton value={result.temporary_password}>
          {({ copied, copy }) => (
            <Button variant="default" size="compact-sm" onClick={copy}>
              {t(copied ? 'staff.copied' : 'staff.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Button onClick={onDone}>{t('staff.done')}</Button>
    </Stack>
  );
}

function ProblemAlert({ error }: { error: ApiError | null }) {
  return error && error.fields.length === 0 ? <Alert color="red" role="alert" title={error.message} /> : null;
}

function RoleChoices({ self, ...inputProps }: { self: boolean } & Record<string, unknown>) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group label={t('staff.roles')} required {...inputProps}>
      <Stack gap="xs" mt="xs">
        {ROLES.map((role) => (
          <Checkbox
            key={role}
            value={role}
            label={t(`role.${role}`)}
            disabled={self && role === 'admin'}
            description={self && role === 'admin' ? t('staff.own_admin_kept') : undefined}
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

function InviteForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const invite = useInvite();
  const form = useForm({
    initialValues: { username: '', email: '', roles: [] as Role[] },
    validate: {
      username: (v) => (USERNAME.test(v.trim().toLowerCase()) ? null : t('staff.username_rule')),
      email: (v) => (!v.trim() || EMAIL.test(v.trim()) ? null : t('staff.email_rule')),
      roles: (v) => (v.length ? null : t('staff.roles_rule')),
    },
  });
  useLeaveGuard(form.isDirty() && !invite.data, t('form.leave_unsaved'));

  if (invite.data) return <TemporaryPassword result={invite.data} onDone={onClose} />;
  const submit = form.onSubmit((values) => {
    invite.mutate(
      { ...values, username: values.username.trim().toLowerCase() },
      { onError: (error) => { form.setErrors(fieldErrorsFrom(error)); } },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ProblemAlert error={invite.error} />
        <TextInput
          label={t('staff.username')}
          description={t('staff.username_rule')}
          autoComplete="off"
          autoCapitalize="none"
          required
          {...form.getInputProps('username')}
        />
        <TextInput label={t('staff.email')} type="email" autoComplete="off" {...form.getInputProps('email')} />
        <RoleChoices self={false} {...form.getInputProps('roles')} />
        <Button type="submit" loading={invite.isPending}>
          {t('staff.invite_submit')}
        </Button>
      </Stack>
    </form>
  );
}

function RolesForm({ user, self, onClose }: { user: StaffUser; self: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const setRoles = useSetRoles(user.username);
  const form = useForm({
    initialValues: { roles: user.roles },
    validate: { roles: (v) => (v.length ? null : t('staff.roles_rule')) },
  });
  useLeaveGuard(form.isDirty() && !setRoles.isSuccess, t('form.leave_unsaved'));
  const submit = form.onSubmit((values) => {
    setRoles.mutate(values.roles, {
      onSuccess: onClose,
      onError: (error) => { form.setErrors(fieldErrorsFrom(error)); },
    });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <ProblemAlert error={setRoles.error} />
        <RoleChoices self={self} {...form.getInputProps('roles')} />
        <Button type="submit" loading={setRoles.isPending}>
          {t('staff.save_roles')}
        </Button>
      </Stack>
    </form>
  );
}

function EnabledForm({ user, onClose }: { user: StaffUser; onClose: () => void }) {
  const { t } = useTranslation();
  const setEnabled = useSetEnabled(user.username);
  const enable = !user.enabled;
  return (
    <Stack>
      <Text>{t(enable ? 'staff.enable_confirm' : 'staff.disable_confirm', { username: user.username })}</Text>
      <ProblemAlert error={setEnabled.error} />
      <Button
        color={enable ? undefined : 'red'}
        loading={setEnabled.isPending}
        onClick={() => {
          setEnabled.mutate(enable, { onSuccess: onClose });
        }}
      >
        {t(enable ? 'staff.enable' : 'staff.disable')}
      </Button>
    </Stack>
  );
}

function ResetForm({ user, onClose }: { user: StaffUser; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetPassword(user.username);
  if (reset.data) return <TemporaryPassword result={reset.data} onDone={onClose} />;
  return (
    <Stack>
      <Text>{t('staff.reset_confirm', { username: user.username })}</Text>
      <ProblemAlert error={reset.error} />
      <Button
        color="red"
        loading={reset.isPending}
        onClick={() => {
          reset.mutate(undefined);
        }}
      >
        {t('staff.reset')}
      </Button>
    </Stack>
  );
}

function dialogTitle(dialog: Dialog): string {
  return dialog.kind === 'invite'
    ? 'staff.invite'
    : dialog.kind === 'roles'
      ? 'staff.edit_roles'
      : dialog.kind === 'reset'
        ? 'staff.reset'
        : dialog.user.enabled
          ? 'staff.disable'
          : 'staff.enable';
}

/** The pool's staff accounts: invite, roles, disable and enable, a new temporary password. An
 * administrator's own row keeps its admin role and cannot be disabled (the API refuses too). */
export function StaffPage() {
  const { t } = useTranslation();
  const session = useSession();
  const username = session.status === 'signed_in' ? session.session.username : '';
  const { cursor } = useUrlCursor();
  const users = useStaffUsers(cursor);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => {
    setDialog(null);
  };

  const columns: DataTableColumn<StaffUser>[] = [
    {
      accessor: 'username',
      title: t('staff.username'),
      render: (u) => (
        <Stack gap={2}>
          <Group gap={6} wrap="nowrap">
            <Text fw={600} size="sm">
              {u.username}
            </Text>
            {u.username === username && (
              <Badge variant="outline" styles={tone('--info', '--info-bg')}>
                {t('staff.you')}
              </Badge>
            )}
          </Group>
          {u.email && (
            <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
              {u.email}
            </Text>
          )}
          <Stack gap={4} hiddenFrom="sm">
            <RoleBadges user={u} />
            <UserStatus user={u} />
          </Stack>
        </Stack>
      ),
    },
    {
      accessor: 'roles',
      title: t('staff.roles'),
      visibleMediaQuery: WIDE,
      render: (u) => <RoleBadges user={u} />,
    },
    { accessor: 'status', title: t('staff.status'), visibleMediaQuery: WIDE, render: (u) => <UserStatus user={u} /> },
    {
      accessor: 'created_at',
      title: t('staff.created_at'),
      visibleMediaQuery: WIDE,
      render: (u) => formatDateTime(u.created_at),
    },
    {
      accessor: 'actions',
      title: t('staff.actions'),
      render: (u) => (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button variant="default" size="compact-sm" aria-label={t('staff.actions_for', { username: u.username })}>
              {t('staff.actions')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => { setDialog({ kind: 'roles', user: u }); }}>{t('staff.edit_roles')}</Menu.Item>
            <Menu.Item
              disabled={u.username === username}
              onClick={() => { setDialog({ kind: 'enabled', user: u }); }}
            >
              {t(u.enabled ? 'staff.disable' : 'staff.enable')}
            </Menu.Item>
            <Menu.Item onClick={() => { setDialog({ kind: 'reset', user: u }); }}>{t('staff.reset')}</Menu.Item>
            {u.username === username && (
              <Menu.Label style={{ whiteSpace: 'normal', maxWidth: 240 }}>{t('staff.own_account_note')}</Menu.Label>
            )}
          </Menu.Dropdown>
        </Menu>
      ),
    },
  ];

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('staff.title')}
        </Title>
        <Button onClick={() => { setDialog({ kind: 'invite' }); }}>{t('staff.invite')}</Button>
      </Group>
      <ServerTable
        query={users}
        columns={columns}
        idAccessor="username"
        caption={t('staff.title')}
        emptyText={t('staff.empty')}
      />
      <Modal
        opened={dialog !== null}
        onClose={close}
        title={dialog ? t(dialogTitle(dialog)) : ''}
        closeButtonProps={{ 'aria-label': t('staff.close') }}
        centered
      >
        {dialog?.kind === 'invite' && <InviteForm onClose={close} />}
        {dialog?.kind === 'roles' && (
          <RolesForm user={dialog.user} self={dialog.user.username === username} onClose={close} />
        )}
        {dialog?.kind === 'enabled' && <EnabledForm user={dialog.user} onClose={close} />}
        {dialog?.kind === 'reset' && <ResetForm user={dialog.user} onClose={close} />}
      </Modal>
    </Stack>
  );
}
