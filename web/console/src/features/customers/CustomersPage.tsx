import { Anchor, Button, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime } from '../format';
import {
  customerFilterNames,
  SEARCH_MODES,
  searchModeOf,
  useCustomers,
  type CustomerSummary,
  type SearchMode,
} from './api';

const MIN_NAME_LETTERS = 2;
const INPUT_MODE: Record<SearchMode, 'tel' | 'text'> = { phone: 'tel', name: 'text', serial: 'text' };

/** Everyone who activated, found by phone (any spelling), the start of the name or a unit's
 * serial: one box, its mode and text in the URL; names and phones masked. */
export function CustomersPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(customerFilterNames);
  const { cursor } = useUrlCursor();
  const customers = useCustomers(filters, cursor);
  const location = useLocation();
  const [mode, setMode] = useState<SearchMode>(searchModeOf(filters));
  const [text, setText] = useState(filters.q);
  const [shown, setShown] = useState(filters);
  if (shown !== filters) {
    // the URL changed (back button, a link): the box follows it
    setShown(filters);
    setMode(searchModeOf(filters));
    setText(filters.q);
  }

  const columns: DataTableColumn<CustomerSummary>[] = [
    {
      accessor: 'name_masked',
      title: t('customers.name'),
      render: (c) => (
        <Anchor
          component={Link}
          to={`/customers/${encodeURIComponent(c.customer_id)}`}
          state={{ search: location.search }} // the page's back link returns to these results
        >
          {c.name_masked || t('customers.no_name')}
        </Anchor>
      ),
    },
    { accessor: 'phone_masked', title: t('customers.phone'), noWrap: true },
    {
      accessor: 'updated_at',
      title: t('customers.updated_at'),
      noWrap: true,
      // on a phone the name and the phone are what tell customers apart
      visibleMediaQuery: (theme) => `(min-width: ${theme.breakpoints.xs})`,
      render: (c) => formatDateTime(c.updated_at),
    },
  ];

  const [tooShort, setTooShort] = useState(false);
  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    const query = text.normalize('NFC').trim().replace(/\s+/g, ' ');
    // the API's rule, spared a round trip: a name search needs two letters at least
    setTooShort(mode === 'name' && query.length < MIN_NAME_LETTERS);
    if (mode !== 'name' || query.length >= MIN_NAME_LETTERS) setFilters({ mode, q: query });
  };
  // a bad phone, name or serial is answered on its field (or, for a phone, with a phone_* code)
  const error = customers.error;
  const fieldError = tooShort
    ? t('customers.name_too_short')
    : (error?.fields.find((problem) => (SEARCH_MODES as readonly string[]).includes(problem.field))?.message ??
      (error?.code.startsWith('phone_') ? error.message : undefined));

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('customers.title')}
      </Title>
      <form onSubmit={search} role="search" aria-label={t('customers.search')}>
        <Stack gap="xs">
          <SegmentedControl
            aria-label={t('customers.mode')}
            value={mode}
            onChange={(value) => {
              setMode(searchModeOf({ mode: value, q: '' }));
              setTooShort(false);
            }}
            data={SEARCH_MODES.map((m) => ({ value: m, label: t(`customers.mode.${m}`) }))}
            w={{ base: '100%', xs: 'auto' }}
            style={{ alignSelf: 'flex-start' }}
          />
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={t(`customers.query.${mode}`)}
              description={t(`customers.hint.${mode}`)}
              type={INPUT_MODE[mode]}
              inputMode={INPUT_MODE[mode]}
              autoComplete="off"
              value={text}
              error={Boolean(fieldError)}
              aria-describedby={fieldError ? 'customer-search-error' : undefined}
              onChange={(event) => {
                setText(event.currentTarget.value);
                setTooShort(false);
              }}
              style={{ flex: 1, maxWidth: 360 }}
            />
            <Button type="submit" variant="default">
              {t('action.search')}
            </Button>
          </Group>
          {fieldError && (
            <Text id="customer-search-error" c="var(--bad)" size="sm" role="alert">
              {fieldError}
            </Text>
          )}
        </Stack>
      </form>
      {/* a refused search is said on its field, not twice */}
      {filters.q && fieldError && !tooShort ? null : filters.q ? (
        <ServerTable
          query={customers}
          columns={columns}
          idAccessor="customer_id"
          caption={t('customers.results')}
          emptyText={t('customers.empty')}
        />
      ) : (
        <Text c="dimmed">{t('customers.start')}</Text>
      )}
    </Stack>
  );
}
