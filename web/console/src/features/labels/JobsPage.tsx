import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/session';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { fetchJob, useJobs, type LabelJob } from './api';
import { JobProgress, JobStatusBadge, LabelsTabs, selectionText } from './parts';

/** A finished job's file: the list carries no link (a link lives 15 minutes), so one is asked
 * for when the button is pressed. */
function DownloadButton({ job }: { job: LabelJob }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  if (job.status !== 'done') return null;
  if (job.file_expired) return <Text size="sm">{t('labels.job.file_expired')}</Text>;
  return (
    <Button
      size="compact-sm"
      variant="default"
      loading={pending}
      aria-label={t('labels.job.download_of', { name: job.template, at: formatDateTime(job.created_at) })}
      onClick={() => {
        setPending(true);
        fetchJob(job.job_id)
          .then((fresh) => {
            if (fresh.download) window.location.assign(fresh.download.url);
          })
          .catch((error: unknown) => {
            notifications.show({ color: 'red', message: error instanceof Error ? error.message : String(error) });
          })
          .finally(() => {
            setPending(false);
          });
      }}
    >
      {t('labels.job.download')}
    </Button>
  );
}

/** The brand's label jobs, newest first, with their progress (asked again while one runs). */
export function JobsPage() {
  const { t } = useTranslation();
  const { cursor } = useUrlCursor();
  const jobs = useJobs(cursor);
  const session = useSession();
  const mayCreate = session.status === 'signed_in' && session.session.roles.includes('admin');

  const link = (job: LabelJob) => (
    <Anchor component={Link} to={`/labels/jobs/${encodeURIComponent(job.job_id)}`}>
      {formatDateTime(job.created_at)}
    </Anchor>
  );
  // on a phone ServerTable makes each job a card: every column titled beside its value
  const columns: DataTableColumn<LabelJob>[] = [
    { accessor: 'created_at', title: t('labels.job.created_at'), noWrap: true, render: link },
    { accessor: 'template', title: t('labels.job.template'), noWrap: true },
    {
      accessor: 'selection',
      title: t('labels.job.selection'),
      render: (job) => selectionText(job, t),
    },
    {
      accessor: 'status',
      title: t('labels.job.status'),
      render: (job) => <JobStatusBadge status={job.status} />,
    },
    {
      accessor: 'progress',
      title: t('labels.job.progress'),
      width: 180,
      render: (job) => <JobProgress job={job} />,
    },
    {
      accessor: 'download',
      title: t('labels.job.file'),
      render: (job) => <DownloadButton job={job} />,
    },
  ];

  return (
    <Stack>
      <LabelsTabs />
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('labels.jobs.title')}
        </Title>
        {mayCreate && (
          <Button component={Link} to="/labels/jobs/new">
            {t('labels.jobs.new')}
          </Button>
        )}
      </Group>
      <ServerTable
        query={jobs}
        columns={columns}
        idAccessor="job_id"
        caption={t('labels.jobs.title')}
        emptyText={t('labels.jobs.empty')}
      />
    </Stack>
  );
}
