import { Alert, Anchor, Button, Group, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../format';
import { inLanguage, isActive, useImport, type UnitImport } from './api';
import { ImportStatusBadge } from './ImportStatusBadge';

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="sm">{label}</Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

function Rejected({ job }: { job: UnitImport }) {
  const { t } = useTranslation();
  if (!job.first_rejected.length) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('imports.first_rejected', { count: job.first_rejected.length })}
      </Title>
      <Table.ScrollContainer minWidth={320}>
        <Table striped withTableBorder aria-label={t('imports.first_rejected', { count: job.first_rejected.length })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.line')}</Table.Th>
              <Table.Th>{t('imports.serial')}</Table.Th>
              <Table.Th>{t('imports.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {job.first_rejected.map((line) => (
              <Table.Tr key={line.line}>
                <Table.Td>{line.line}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{line.serial || '—'}</Table.Td>
                <Table.Td>{inLanguage(line.messages)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** One import: its progress while it runs (polled), then the counts, the first rejected lines
 * and the per-line report to download. */
export function ImportPage() {
  const { t } = useTranslation();
  const { importId = '' } = useParams();
  const query = useImport(importId);
  const job = query.data;

  if (query.isError) return <Alert color="red" role="alert" title={query.error.message} />;
  if (!job) return <Loader role="status" aria-label={t('state.loading')} />;
  const percent = Math.round(job.progress * 100);
  return (
    <Stack>
      <Anchor component={Link} to="/imports">
        {t('imports.back')}
      </Anchor>
      <Title order={1} size="h2" style={{ wordBreak: 'break-all' }}>
        {job.filename}
      </Title>
      <Group gap="sm">
        <ImportStatusBadge status={job.status} />
        <Text size="sm">{t('imports.by', { who: job.created_by, at: formatDateTime(job.created_at) })}</Text>
      </Group>
      {(isActive(job) || job.status === 'done') && (
        <Stack gap={4}>
          <Text size="sm" id="job-progress-label">
            {job.total
              ? t('imports.progress', { done: job.done.toLocaleString(), total: job.total.toLocaleString(), percent })
              : t('imports.waiting')}
          </Text>
          <Progress.Root size="lg">
            <Progress.Section value={percent} aria-labelledby="job-progress-label" animated={isActive(job)} />
          </Progress.Root>
        </Stack>
      )}
      {job.status === 'uploading' && <Alert color="yellow" role="status" title={t('imports.not_started')} />}
      {job.error && <Alert color="red" role="alert" title={inLanguage(job.error.messages)} />}
      <SimpleGrid cols={3} spacing="xs">
        <Count label={t('imports.total')} value={job.total} testId="import-total" />
        <Count label={t('imports.imported')} value={job.imported} testId="import-imported" />
        <Count label={t('imports.rejected')} value={job.rejected} testId="import-rejected" />
      </SimpleGrid>
      {job.report && (
        <Group>
          <Button component="a" href={job.report.url} download={job.report.filename}>
            {t('imports.download_report')}
          </Button>
        </Group>
      )}
      {job.report_expired && <Text>{t('imports.report_expired')}</Text>}
      <Rejected job={job} />
    </Stack>
  );
}
