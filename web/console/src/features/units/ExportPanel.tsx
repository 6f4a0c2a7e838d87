import { Alert, Anchor, Button, Group, Loader, Paper, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { useExport, useStartExport, type UnitFilters } from './api';

/** The export of the list with `filters`: started once when the panel opens, then its progress
 * (rows written) until the download link. */
export function ExportPanel({ filters, onClose }: { filters: UnitFilters; onClose: () => void }) {
  const { t } = useTranslation();
  const start = useStartExport();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start.mutate(filters);
  }, [filters, start]);
  const exportId = start.data?.export_id ?? null;
  const progress = useExport(exportId);
  const job = progress.data ?? start.data;
  const error = start.error ?? progress.error;
  const failed = job?.status === 'failed' ? job.error : null;

  return (
    <Paper withBorder p="md" role="region" aria-label={t('units.export_title')} data-testid="export-panel">
      <Stack gap="xs">
        <Text fw={600}>{t('units.export_title')}</Text>
        {error && <Alert color="red" role="alert" title={error.message} />}
        {failed && (
          <Alert color="red" role="alert" title={failed.messages[currentLanguage()] ?? failed.code} />
        )}
        {job && (job.status === 'queued' || job.status === 'running') && (
          <>
            <Group gap="xs">
              <Loader size="xs" aria-hidden />
              <Text size="sm" role="status">
                {t('units.export_running', { rows: job.rows })}
              </Text>
            </Group>
            <Progress value={100} animated striped aria-label={t('units.export_title')} />
          </>
        )}
        {job?.status === 'done' && job.download && (
          <Group gap="sm">
            <Text size="sm" role="status">
              {t('units.export_done', { rows: job.rows })}
            </Text>
            <Anchor href={job.download.url} download={job.download.filename} data-testid="export-download">
              {t('units.export_download', { name: job.download.filename })}
            </Anchor>
          </Group>
        )}
        <Group justify="flex-end">
          <Button variant="default" size="compact-sm" onClick={onClose}>
            {t('units.export_close')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
