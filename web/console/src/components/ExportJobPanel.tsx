import { Alert, Anchor, Button, Group, Loader, Paper, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useExportJob, useStartExportJob } from '../api/exports';
import { currentLanguage } from '../i18n';

interface Props {
  title: string;
  /** `POST` here starts the job (202). */
  startPath: string;
  body?: object;
  /** Where the job is read, from its id. */
  jobPath: (exportId: string) => string;
  onClose: () => void;
}

/** An Excel export as a job: started once when the panel opens, then its progress (rows
 * written) until the download link, or the failure in the reader's language. */
export function ExportJobPanel({ title, startPath, body, jobPath, onClose }: Props) {
  const { t } = useTranslation();
  const start = useStartExportJob(startPath);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start.mutate(body);
  }, [body, start]);
  const exportId = start.data?.export_id ?? null;
  const progress = useExportJob(exportId === null ? null : jobPath(exportId));
  const job = progress.data ?? start.data;
  const error = start.error ?? progress.error;
  const failed = job?.status === 'failed' ? job.error : null;

  return (
    <Paper withBorder p="md" role="region" aria-label={title} data-testid="export-panel">
      <Stack gap="xs">
        <Text fw={600}>{title}</Text>
        {error && <Alert color="red" role="alert" title={error.message} />}
        {failed && <Alert color="red" role="alert" title={failed.messages[currentLanguage()] ?? failed.code} />}
        {job && (job.status === 'queued' || job.status === 'running') && (
          <>
            <Group gap="xs">
              <Loader size="xs" aria-hidden />
              <Text size="sm" role="status">
                {t('export.running', { rows: job.rows })}
              </Text>
            </Group>
            <Progress value={100} animated striped aria-label={title} />
          </>
        )}
        {job?.status === 'done' && job.download && (
          <Group gap="sm">
            <Text size="sm" role="status">
              {t('export.done', { rows: job.rows })}
            </Text>
            <Anchor href={job.download.url} download={job.download.filename} data-testid="export-download">
              {t('export.download', { name: job.download.filename })}
            </Anchor>
          </Group>
        )}
        <Group justify="flex-end">
          <Button variant="default" size="compact-sm" onClick={onClose}>
            {t('export.close')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
