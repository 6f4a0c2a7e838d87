import 'mantine-datatable/styles.css';
import { Alert, Button, Group } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/errors';
import { useUrlCursor } from './useUrlFilters';

export interface CursorPage<T> {
  records: T[];
  nextCursor: string | null;
}

interface ServerTableProps<T> {
  /** The page's query (its key holds the URL's filters and cursor). */
  query: UseQueryResult<CursorPage<T>, ApiError>;
  columns: DataTableColumn<T>[];
  idAccessor: keyof T & string;
  caption: string;
  emptyText: string;
  onRowClick?: (record: T) => void;
}

/** Every list of the console: mantine-datatable with the loading, empty and error states and
 * cursor paging in the URL (`?cursor=`; the browser's back button goes to the previous page). */
export function ServerTable<T>({
  query,
  columns,
  idAccessor,
  caption,
  emptyText,
  onRowClick,
}: ServerTableProps<T>) {
  const { t } = useTranslation();
  const { cursor, next, first } = useUrlCursor();

  if (query.isError) {
    return (
      <Alert color="red" role="alert" title={query.error.message}>
        {/* asking again helps only when nothing answered or the server failed */}
        {(query.error.status === 0 || query.error.status >= 500) && (
        <Button
          mt="sm"
          variant="default"
          size="compact-sm"
          onClick={() => {
            void query.refetch();
          }}
        >
          {t('action.retry')}
        </Button>
        )}
      </Alert>
    );
  }
  const page = query.data;
  return (
    <>
      <DataTable<T>
        aria-label={caption}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover={Boolean(onRowClick)}
        minHeight={page?.records.length ? undefined : 180}
        records={page?.records ?? []}
        columns={columns}
        idAccessor={idAccessor}
        fetching={query.isFetching}
        loaderBackgroundBlur={1}
        noRecordsText={query.isPending ? t('state.loading') : emptyText}
        onRowClick={onRowClick ? ({ record }) => { onRowClick(record); } : undefined}
      />
      <Group justify="flex-end" mt="sm" gap="xs">
        {cursor && (
          <Button variant="default" size="compact-sm" onClick={first}>
            {t('table.first_page')}
          </Button>
        )}
        {page?.nextCursor && (
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => {
              if (page.nextCursor) next(page.nextCursor);
            }}
          >
            {t('table.next_page')}
          </Button>
        )}
      </Group>
    </>
  );
}
