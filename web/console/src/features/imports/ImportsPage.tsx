import '@mantine/dropzone/styles.css';
import { Alert, Anchor, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import type { DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import { ACCEPTED_FILES, MAX_IMPORT_BYTES, TEMPLATE_CSV, useImports, useStartImport, type UnitImport } from './api';
import { ImportStatusBadge } from './ImportStatusBadge';

const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${TEMPLATE_CSV}`)}`;

/** Import units from a CSV or Excel file: drop it, watch it upload, then follow the job on its
 * own page; below, the past imports, newest first. */
export function ImportsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { cursor } = useUrlCursor();
  const imports = useImports(cursor);
  const start = useStartImport();
  const [sent, setSent] = useState(0);
  const [refusal, setRefusal] = useState('');

  const upload = (files: File[]) => {
    const file = files[0];
    if (!file || start.isPending) return;
    setRefusal('');
    setSent(0);
    start.mutate(
      { file, onProgress: setSent },
      {
        onSuccess: (job) => {
          void navigate(`/imports/${encodeURIComponent(job.import_id)}`);
        },
      },
    );
  };
  const refuse = (rejections: FileRejection[]) => {
    const tooLarge = rejections.some((r) => r.errors.some((e) => e.code === 'file-too-large'));
    setRefusal(tooLarge ? t('imports.too_large', { max: MAX_IMPORT_BYTES / 1024 / 1024 }) : t('imports.wrong_type'));
  };

  const columns: DataTableColumn<UnitImport>[] = [
    { accessor: 'created_at', title: t('imports.created_at'), noWrap: true, render: (job) => formatDateTime(job.created_at) },
    {
      accessor: 'filename',
      title: t('imports.file'),
      render: (job) => (
        <Anchor component={Link} to={`/imports/${encodeURIComponent(job.import_id)}`} style={{ overflowWrap: 'anywhere' }}>
          {job.filename}
        </Anchor>
      ),
    },
    { accessor: 'status', title: t('imports.status'), render: (job) => <ImportStatusBadge status={job.status} /> },
    { accessor: 'imported', title: t('imports.imported'), textAlign: 'right' },
    { accessor: 'rejected', title: t('imports.rejected'), textAlign: 'right' },
    { accessor: 'created_by', title: t('imports.created_by') },
  ];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('imports.title')}
      </Title>
      <Text>{t('imports.intro')}</Text>
      <Anchor href={TEMPLATE_HREF} download="units-template.csv">
        {t('imports.template')}
      </Anchor>
      <Dropzone
        onDrop={upload}
        onReject={refuse}
        accept={ACCEPTED_FILES}
        maxSize={MAX_IMPORT_BYTES}
        multiple={false}
        loading={start.isPending}
        disabled={start.isPending}
        aria-label={t('imports.drop')}
        inputProps={{ 'aria-label': t('imports.drop') }}
      >
        <Stack align="center" gap={4} mih={110} justify="center" style={{ pointerEvents: 'none' }}>
          <Text fw={600} ta="center">
            <Dropzone.Accept>{t('imports.drop_accept')}</Dropzone.Accept>
            <Dropzone.Reject>{t('imports.wrong_type')}</Dropzone.Reject>
            <Dropzone.Idle>{t('imports.drop')}</Dropzone.Idle>
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            {t('imports.drop_hint', { max: MAX_IMPORT_BYTES / 1024 / 1024 })}
          </Text>
        </Stack>
      </Dropzone>
      {start.isPending && (
        <Stack gap={4}>
          <Text size="sm" id="upload-progress-label">
            {t('imports.uploading', { percent: Math.round(sent * 100) })}
          </Text>
          <Progress.Root size="lg">
            <Progress.Section value={sent * 100} aria-labelledby="upload-progress-label" animated />
          </Progress.Root>
        </Stack>
      )}
      {refusal && (
        <Alert color="red" role="alert" title={refusal} />
      )}
      {start.isError && <Alert color="red" role="alert" title={start.error.message} />}
      <Group justify="space-between" mt="md">
        <Title order={2} size="h3">
          {t('imports.history')}
        </Title>
      </Group>
      <ServerTable
        query={imports}
        columns={columns}
        idAccessor="import_id"
        caption={t('imports.history')}
        emptyText={t('imports.empty')}
      />
    </Stack>
  );
}
