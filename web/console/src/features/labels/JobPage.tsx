import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { dataLanguage, intlLocale } from '../../i18n';
import { formatDateTime } from '../format';
import { useJob, type LabelJob } from './api';
import { JobProgress, JobStatusBadge, LabelsTabs, selectionText } from './parts';

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

function sizeText(bytes: number | null): string {
  if (bytes === null) return '—';
  return `${new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(bytes / 1024)} KB`;
}

function JobDetail({ job }: { job: LabelJob }) {
  const { t } = useTranslation();
  return (
    <>
      <Group justify="space-between">
        <JobStatusBadge status={job.status} />
        {job.download && (
          <Button component="a" href={job.download.url} data-testid="download">
            {t('labels.job.download_file', { name: job.download.filename })}
          </Button>
        )}
      </Group>
      <JobProgress job={job} />
      <Text size="sm" data-testid="job-counts">
        {t('labels.job.counts', { done: job.done, total: job.total, skipped: job.skipped })}
      </Text>
      {job.error && (
        <Alert color="red" role="alert" title={job.error.messages[dataLanguage()] ?? job.error.code} />
      )}
      {job.file_expired && <Alert color="yellow" role="status" title={t('labels.job.file_expired')} />}
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label={t('labels.job.template')}>{job.template}</Field>
          <Field label={t('labels.job.selection')}>{selectionText(job, t)}</Field>
          <Field label={t('labels.job.created_at')}>
            {formatDateTime(job.created_at)} · {job.created_by}
          </Field>
          <Field label={t('labels.job.finished_at')}>{formatDateTime(job.finished_at)}</Field>
          <Field label={t('labels.job.pages')}>{job.pages ?? '—'}</Field>
          <Field label={t('labels.job.size')}>{sizeText(job.size_bytes)}</Field>
          {job.skipped_sample.length > 0 && (
            <Field label={t('labels.job.skipped_sample')}>{job.skipped_sample.join(', ')}</Field>
          )}
        </SimpleGrid>
      </Paper>
    </>
  );
}

/** One job: its progress while it runs (asked again every 1.5 s), then its file. */
export function JobPage() {
  const { t } = useTranslation();
  const { jobId = '' } = useParams();
  const job = useJob(jobId);
  return (
    <Stack>
      <LabelsTabs />
      <Anchor component={Link} to="/labels/jobs">
        {t('labels.job.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('labels.job.title')}
      </Title>
      {job.isPending && <Loader role="status" aria-label={t('state.loading')} />}
      {job.isError && <Alert color="red" role="alert" title={job.error.message} />}
      {job.data && <JobDetail job={job.data} />}
    </Stack>
  );
}
