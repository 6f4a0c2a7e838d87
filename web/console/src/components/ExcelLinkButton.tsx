import { Alert, Anchor, Button, Group, Stack } from '@mantine/core';
import type { UseMutationResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/errors';

/** An Excel file the API writes at once: where to download it (a presigned link). */
export interface ExcelLink {
  rows: number;
  filename: string;
  url: string;
}

interface Props {
  exported: UseMutationResult<ExcelLink, ApiError, void>;
  /** Catalogue keys: `<prefix>.export`, `<prefix>.export_download` ({name}, {rows}) and
   * `<prefix>.export_refused`. */
  prefix: string;
  testId: string;
}

/** "Export to Excel": the button, then the file's download link, or why it was refused. */
export function ExcelLinkButton({ exported, prefix, testId }: Props) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid={testId}>
      <Group>
        <Button
          variant="default"
          loading={exported.isPending}
          onClick={() => {
            exported.mutate();
          }}
        >
          {t(`${prefix}.export`)}
        </Button>
        {exported.data && (
          <Anchor href={exported.data.url} download={exported.data.filename} data-testid="export-download">
            {t(`${prefix}.export_download`, { name: exported.data.filename, rows: exported.data.rows })}
          </Anchor>
        )}
      </Group>
      {exported.isError && (
        <Alert color="red" role="alert" title={t(`${prefix}.export_refused`)}>
          {exported.error.message}
        </Alert>
      )}
    </Stack>
  );
}
