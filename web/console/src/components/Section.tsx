import { Alert, Paper, Stack, Title } from '@mantine/core';
import type { ApiError } from '../api/errors';

/** An API error as the detail pages show it: its message, then each field's. */
export function Problem({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const fields = error.fields.map((f) => f.message).join(' ');
  return (
    <Alert color="red" role="alert" title={error.message}>
      {fields || null}
    </Alert>
  );
}

/** A titled part of a detail page (a request's, a ticket's), a landmark of its own. */
export function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" radius="sm" component="section" aria-label={title} data-testid={testId}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}
