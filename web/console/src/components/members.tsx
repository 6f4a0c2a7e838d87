// An outside organisation's users (the API's platform.members: a dealer's, a partner service
// company's): the list, adding one (its temporary password shown once) and removing one, under
// `<path>/users`. Texts come from the organisation's catalogue keys under `ns`.
import { Alert, Button, Code, Group, Loader, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ApiError } from '../api/errors';
import { formatDateTime } from '../features/format';
import { fieldErrorsFrom } from './forms';

export interface Member {
  username: string;
  created_at: string;
  created_by: string;
  enabled: boolean | null;
  status: string | null;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

function useMembers(path: string) {
  return useQuery<Member[], ApiError>({
    queryKey: ['members', path],
    queryFn: async ({ signal }) => (await api<{ users: Member[] }>(`${path}/users`, { signal })).users,
  });
}

function useAddMember(path: string) {
  const queryClient = useQueryClient();
  return useMutation<{ user: Member; temporary_password: string }, ApiError, { username: string; email?: string }>({
    mutationFn: (body) => api(`${path}/users`, { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['members', path] });
    },
  });
}

function useRemoveMember(path: string) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, string>({
    mutationFn: (username) => api(`${path}/users/${encodeURIComponent(username)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['members', path] });
    },
  });
}

function stateOf(user: Member): string {
  if (user.status === 'FORCE_CHANGE_PASSWORD') return 'user_first_sign_in';
  return user.enabled ? 'user_active' : 'user_disabled';
}

/** The organisation's users at `path` (`/dealers/<id>`): add one unless `closed`, remove one
 * after a confirmation. */
export function MembersSection(props: { ns: string; path: string; closed: boolean; testId: string }) {
  const { ns, path, closed, testId } = props;
  const { t } = useTranslation();
  const users = useMembers(path);
  const add = useAddMember(path);
  const remove = useRemoveMember(path);
  const [password, setPassword] = useState<{ username: string; password: string } | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', email: '' },
    validate: { username: (v) => (USERNAME.test(v.trim()) ? null : t(`${ns}.username_invalid`)) },
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
        {t(`${ns}.users`)}
      </Title>
      {users.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {users.isError && <Alert color="red" role="alert" title={users.error.message} />}
      {users.data && users.data.length === 0 && <Text size="sm">{t(`${ns}.no_users`)}</Text>}
      {users.data && users.data.length > 0 && (
        <Table.ScrollContainer minWidth={420}>
          <Table data-testid={testId}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(`${ns}.username`)}</Table.Th>
                <Table.Th>{t(`${ns}.user_state`)}</Table.Th>
                <Table.Th>{t(`${ns}.created_at`)}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t(`${ns}.user_actions`)}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((user) => (
                <Table.Tr key={user.username}>
                  <Table.Td>{user.username}</Table.Td>
                  <Table.Td>{t(`${ns}.${stateOf(user)}`)}</Table.Td>
                  <Table.Td>{formatDateTime(user.created_at)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      loading={remove.isPending && remove.variables === user.username}
                      onClick={() => {
                        if (window.confirm(t(`${ns}.remove_confirm`, { username: user.username }))) {
                          remove.mutate(user.username);
                        }
                      }}
                      aria-label={t(`${ns}.remove_user`, { username: user.username })}
                    >
                      {t(`${ns}.remove`)}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {remove.isError && <Alert color="red" role="alert" title={remove.error.message} />}
      {password && (
        <Alert color="blue" role="status" title={t(`${ns}.user_added`, { username: password.username })}>
          <Text size="sm">{t(`${ns}.temporary_password_once`)}</Text>
          <Code data-testid="temporary-password">{password.password}</Code>
        </Alert>
      )}
      {!closed && (
        <form onSubmit={submit} noValidate>
          <Group align="flex-end" gap="xs" wrap="wrap">
            <TextInput label={t(`${ns}.username`)} required autoComplete="off" {...form.getInputProps('username')} />
            <TextInput label={t(`${ns}.email`)} type="email" autoComplete="off" {...form.getInputProps('email')} />
            <Button type="submit" loading={add.isPending}>
              {t(`${ns}.add_user`)}
            </Button>
          </Group>
          {add.isError && !add.error.fields.length && <Alert mt="xs" color="red" role="alert" title={add.error.message} />}
        </form>
      )}
    </Stack>
  );
}
