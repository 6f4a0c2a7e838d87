import 'mantine-datatable/styles.css';
import { Alert, Button, Card, Checkbox, Group, Loader, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { UseQueryResult } from '@tanstack/react-query';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/errors';
import { useUrlCursor } from './useUrlFilters';

export interface CursorPage<T> {
  records: T[];
  nextCursor: string | null;
}

/** Rows a screen acts on together (a bulk decision): a checkbox per selectable row (on a phone,
 * per card), each named for screen readers. */
export interface Selection<T> {
  selected: T[];
  onChange: (records: T[]) => void;
  isSelectable: (record: T) => boolean;
  labelOf: (record: T) => string;
  allLabel: string;
}

interface ServerTableProps<T> {
  /** The page's query (its key holds the URL's filters and cursor). */
  query: UseQueryResult<CursorPage<T>, ApiError>;
  columns: DataTableColumn<T>[];
  idAccessor: keyof T & string;
  caption: string;
  emptyText: string;
  onRowClick?: (record: T) => void;
  selection?: Selection<T>;
}

/** On a phone (narrower than 48em) a list is a column of cards, one per record: each column's
 * title beside its value, the whole card opening the record (with a button for the keyboard). */
export const PHONE_QUERY = '(max-width: 48em)';

function cellOf<T>(column: DataTableColumn<T>, record: T, index: number): ReactNode {
  if (column.render) return column.render(record, index);
  const value = (record as Record<string, unknown>)[String(column.accessor)];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return value === null || value === undefined ? '—' : JSON.stringify(value);
}

function RecordCards<T>({
  records,
  columns,
  idAccessor,
  caption,
  onRowClick,
  selection,
}: {
  records: T[];
  columns: DataTableColumn<T>[];
  idAccessor: keyof T & string;
  caption: string;
  onRowClick?: (record: T) => void;
  selection?: Selection<T>;
}) {
  const { t } = useTranslation();
  const shown = columns.filter((column) => !column.hidden);
  return (
    <Stack component="ul" gap="xs" aria-label={caption} className="record-cards">
      {records.map((record, index) => (
        <Card
          component="li"
          key={String(record[idAccessor])}
          withBorder
          padding="sm"
          radius="sm"
          data-testid="record-card"
          className={onRowClick ? 'record-card record-card--link' : 'record-card'}
          onClick={onRowClick ? () => { onRowClick(record); } : undefined}
        >
          {selection?.isSelectable(record) && (
            <Checkbox
              mb="xs"
              label={selection.labelOf(record)}
              checked={selection.selected.some((r) => r[idAccessor] === record[idAccessor])}
              onClick={(event) => {
                event.stopPropagation();
              }}
              onChange={(event) => {
                const others = selection.selected.filter((r) => r[idAccessor] !== record[idAccessor]);
                selection.onChange(event.currentTarget.checked ? [...others, record] : others);
              }}
            />
          )}
          <dl className="record-card__fields">
            {shown.map((column) => (
              <div key={String(column.accessor)} className="record-card__field">
                <Text component="dt" size="xs" c="dimmed">
                  {column.title ?? String(column.accessor)}
                </Text>
                <Text component="dd" size="sm">
                  {cellOf(column, record, index)}
                </Text>
              </div>
            ))}
          </dl>
          {onRowClick && (
            <Button
              variant="light"
              size="compact-sm"
              mt="xs"
              onClick={(event) => {
                event.stopPropagation();
                onRowClick(record);
              }}
            >
              {t('table.open')}
            </Button>
          )}
        </Card>
      ))}
    </Stack>
  );
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
  selection,
}: ServerTableProps<T>) {
  const { t } = useTranslation();
  const { cursor, next, first } = useUrlCursor();
  const phone = useMediaQuery(PHONE_QUERY);

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
      {phone ? (
        page?.records.length ? (
          <RecordCards
            records={page.records}
            columns={columns}
            idAccessor={idAccessor}
            caption={caption}
            onRowClick={onRowClick}
            selection={selection}
          />
        ) : (
          <Card withBorder padding="lg" radius="sm">
            {query.isPending ? <Loader size="sm" role="status" aria-label={t('state.loading')} /> : <Text c="dimmed">{emptyText}</Text>}
          </Card>
        )
      ) : (
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
          {...(selection
            ? {
                selectedRecords: selection.selected,
                onSelectedRecordsChange: selection.onChange,
                isRecordSelectable: selection.isSelectable,
                getRecordSelectionCheckboxProps: (record: T) => ({ 'aria-label': selection.labelOf(record) }),
                allRecordsSelectionCheckboxProps: { 'aria-label': selection.allLabel },
              }
            : {})}
        />
      )}
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
