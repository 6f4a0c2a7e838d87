import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/errors';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { setFirstPassword, signIn, useSession } from './session';

/** Where to go after signing in: the `next` page if it is one of ours, else home. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

interface Credentials {
  username: string;
  password: string;
}

function CredentialsForm({ onChallenge }: { onChallenge: (c: Credentials) => void }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const form = useForm<Credentials>({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : t('form.required')),
      password: (v) => (v ? null : t('form.required')),
    },
  });
  const [busy, setBusy] = useState(false);

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setProblem(null);
    try {
      await signIn(values.username.trim(), values.password);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'sign_in_challenge_required' && error.details.challenge === 'NEW_PASSWORD_REQUIRED') {
        onChallenge({ username: values.username.trim(), password: values.password });
        return;
      }
      for (const field of error.fields) form.setFieldError(field.field, field.message);
      setProblem(error);
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {problem && (
          <Alert color="red" role="alert" title={problem.message} />
        )}
        <TextInput
          label={t('signin.username')}
          autoComplete="username"
          autoCapitalize="none"
          required
          {...form.getInputProps('username')}
        />
        <PasswordInput
          label={t('signin.password')}
          autoComplete="current-password"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('signin.show_password') }}
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={busy}>
          {t('signin.submit')}
        </Button>
      </Stack>
    </form>
  );
}

function NewPasswordForm({ credentials }: { credentials: Credentials }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { new_password: '', confirm: '' },
    validate: {
      new_password: (v) => (v.length >= 8 ? null : t('signin.new_password_short')),
      confirm: (v, values) => (v === values.new_password ? null : t('signin.new_password_mismatch')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setProblem(null);
    try {
      await setFirstPassword(credentials.username, credentials.password, values.new_password);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      for (const field of error.fields) form.setFieldError(field.field, field.message);
      setProblem(error);
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text>{t('signin.new_password_intro')}</Text>
        {problem && <Alert color="red" role="alert" title={problem.message} />}
        <PasswordInput
          label={t('signin.new_password')}
          autoComplete="new-password"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('signin.show_password') }}
          {...form.getInputProps('new_password')}
        />
        <PasswordInput
          label={t('signin.new_password_again')}
          autoComplete="new-password"
          required
          visibilityToggleButtonProps={{ 'aria-label': t('signin.show_password') }}
          {...form.getInputProps('confirm')}
        />
        <Button type="submit" loading={busy}>
          {t('signin.new_password_submit')}
        </Button>
      </Stack>
    </form>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const state = useSession();
  const [params] = useSearchParams();
  const [challenge, setChallenge] = useState<Credentials | null>(null);

  if (state.status === 'signed_in') return <Navigate to={safeNext(params.get('next'))} replace />;

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="lg" radius="md" w="100%" maw={400}>
        <Stack>
          <Text fw={700} c="brand">
            {t('app.name')}
          </Text>
          <Title order={1} size="h2">
            {t(challenge ? 'signin.new_password_title' : 'signin.title')}
          </Title>
          {state.status === 'expired' && !challenge && (
            <Alert color="yellow" role="status" title={t('signin.expired')} />
          )}
          {challenge ? (
            <NewPasswordForm credentials={challenge} />
          ) : (
            <CredentialsForm onChallenge={setChallenge} />
          )}
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}
