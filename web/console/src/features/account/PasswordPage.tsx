import { Alert, Button, PasswordInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrorsFrom, useLeaveGuard } from '../../components/forms';
import { useChangePassword } from './api';
import { passwordProblem } from './policy';

interface PasswordValues {
  current_password: string;
  new_password: string;
  confirm: string;
}

/** Every staff member changes their own password: the current one, then the new one twice. */
export function PasswordPage() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [saved, setSaved] = useState(false);
  const form = useForm<PasswordValues>({
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate: {
      current_password: (v) => (v ? null : t('form.required')),
      new_password: (v) => {
        const problem = passwordProblem(v);
        return problem ? t(problem) : null;
      },
      confirm: (v, values) => (v === values.new_password ? null : t('signin.new_password_mismatch')),
    },
  });
  useLeaveGuard(form.isDirty() && !saved, t('form.leave_unsaved'));

  const submit = form.onSubmit((values) => {
    setSaved(false);
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          setSaved(true);
          form.reset();
        },
        onError: (error) => {
          form.setErrors(fieldErrorsFrom(error));
        },
      },
    );
  });
  const generalError = change.error && change.error.fields.length === 0 ? change.error : null;

  return (
    <Stack maw={480}>
      <Title order={1} size="h2">
        {t('password.title')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('password.policy')}
      </Text>
      <Paper withBorder p="md" radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            {saved && <Alert color="green" role="status" title={t('password.changed')} />}
            {generalError && <Alert color="red" role="alert" title={generalError.message} />}
            <PasswordInput
              label={t('password.current')}
              autoComplete="current-password"
              required
              visibilityToggleButtonProps={{ 'aria-label': t('signin.show_password') }}
              {...form.getInputProps('current_password')}
            />
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
            <Button type="submit" loading={change.isPending}>
              {t('password.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
