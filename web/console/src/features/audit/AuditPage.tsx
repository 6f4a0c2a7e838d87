import '@mantine/dates/styles.css'; // the date pickers' styles come with the screens that use them
import { Button, Group, Select, Stack, Text, TextInput, Title, type MantineTheme } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { dayOf } from '../../components/DayInput';
import type { DataTableColumn } from 'mantine-datatable';
import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ServerTable } from '../../components/ServerTable';
import { useUrlCursor, useUrlFilters } from '../../components/useUrlFilters';
import { formatDateTime, formatDay, formatVnd } from '../format';
import { auditFilterNames, ENTITIES, useAuditEntries, type AuditEntry } from './api';

// On a phone when, who and the action fold into the thing's cell.
const WIDE = (theme: MantineTheme) => `(min-width: ${theme.breakpoints.sm})`;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z][a-z0-9_]*$/;

/** A changed value as one short line in the reader's language: instants and days formatted,
 * codes (a status, a channel, a warranty rule) named by the catalogue, other text as it is,
 * anything else as compact JSON. */
function useShown(): (value: unknown) => string {
  const { t } = useTranslation();
  const shown = (value: unknown): string => {
    if (value === undefined || value === null || value === '') return '—';
    if (typeof value === 'boolean') return t(`audit.value.${String(value)}`);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      return value.length ? value.map(shown).join(', ') : '—'; // roles, sections
    }
    if (typeof value !== 'string') return JSON.stringify(value);
    if (INSTANT.test(value)) return formatDateTime(value);
    if (DAY.test(value)) return formatDay(value);
    if (CODE.test(value)) return t(`audit.value.${value}`, { defaultValue: value });
    return value;
  };
  return shown;
}

/** Before → after of each changed attribute, one line each. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const shown = useShown();
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  // money is whole VND (a reward's or a rule's amount)
  const valueOf = (name: string, value: unknown) =>
    name === 'amount' && typeof value === 'number' ? formatVnd(value) : shown(value);
  if (!names.length && !entry.note) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {names.map((name) => (
        <Text key={name} component="li" size="xs" style={{ overflowWrap: 'anywhere' }}>
          <Text span size="xs" fw={600}>
            {t(`audit.field.${name}`, { defaultValue: name })}:
          </Text>{' '}
          <Text span size="xs" td={name in before ? 'line-through' : undefined} style={{ color: 'var(--bad)' }}>
            {valueOf(name, before[name])}
          </Text>
          {' → '}
          <Text span size="xs" fw={600} style={{ color: 'var(--ok)' }}>
            {valueOf(name, after[name])}
          </Text>
        </Text>
      ))}
      {entry.note && (
        <Text component="li" size="xs" style={{ overflowWrap: 'anywhere' }}>
          <Text span size="xs" fw={600}>
            {t('audit.note')}:
          </Text>{' '}
          <Text span size="xs" fs="italic">
            {entry.note}
          </Text>
        </Text>
      )}
    </Stack>
  );
}


/** Who changed what and when: by thing, by staff member, or by days, newest first. */
export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(auditFilterNames);
  const { cursor } = useUrlCursor();
  const entries = useAuditEntries(filters, cursor);
  const [texts, setTexts] = useState({ entity_id: filters.entity_id, actor: filters.actor });
  const [shownFilters, setShownFilters] = useState(filters);
  if (shownFilters !== filters) {
    // the URL changed (back button, a link): the fields follow it
    setShownFilters(filters);
    setTexts({ entity_id: filters.entity_id, actor: filters.actor });
  }
  const search = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilters({ entity_id: texts.entity_id.trim(), actor: texts.actor.trim() });
  };
  const fieldError = (name: string) =>
    entries.error?.fields.find((problem) => problem.field === name)?.message;

  const columns: DataTableColumn<AuditEntry>[] = [
    {
      accessor: 'at',
      title: t('audit.at'),
      noWrap: true,
      visibleMediaQuery: WIDE,
      render: (e) => formatDateTime(e.at, true),
    },
    {
      accessor: 'actor',
      title: t('audit.actor'),
      visibleMediaQuery: WIDE,
      render: (e) => t(`audit.actor.${e.actor}`, { defaultValue: e.actor }),
    },
    {
      accessor: 'entity',
      title: t('audit.thing'),
      render: (e) => (
        <Stack gap={0}>
          <Text size="sm">{t(`audit.entity.${e.entity}`, { defaultValue: e.entity })}</Text>
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {e.entity_id}
          </Text>
          <Text size="xs" hiddenFrom="sm">
            {t(`audit.action.${e.action}`, { defaultValue: e.action })} · {formatDateTime(e.at, true)} ·{' '}
            {t(`audit.actor.${e.actor}`, { defaultValue: e.actor })}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'action',
      title: t('audit.action'),
      visibleMediaQuery: WIDE,
      render: (e) => t(`audit.action.${e.action}`, { defaultValue: e.action }),
    },
    { accessor: 'changes', title: t('audit.changes'), width: '40%', render: (e) => <Changes entry={e} /> },
  ];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('audit.title')}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('audit.entity')}
          placeholder={t('audit.any_entity')}
          clearable
          data={ENTITIES.map((e) => ({ value: e, label: t(`audit.entity.${e}`) }))}
          value={filters.entity || null}
          error={fieldError('entity')}
          onChange={(value) => {
            setFilters({ entity: value ?? '' });
          }}
          w={180}
        />
        <DatePickerInput
          type="range"
          label={t('audit.days')}
          clearable
          allowSingleDateInRange
          valueFormat={t('audit.date_format')}
          value={[filters.from || null, filters.to || null]}
          error={fieldError('from') ?? fieldError('to')}
          onChange={([from, to]) => {
            if (from && !to) return; // the second click comes
            setFilters({ from: dayOf(from), to: dayOf(to) });
          }}
          w={230}
        />
      </Group>
      <form onSubmit={search}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t('audit.entity_id')}
            autoComplete="off"
            value={texts.entity_id}
            error={fieldError('entity_id')}
            onChange={(event) => {
              setTexts({ ...texts, entity_id: event.currentTarget.value });
            }}
            w={280}
          />
          <TextInput
            label={t('audit.actor')}
            autoComplete="off"
            autoCapitalize="none"
            value={texts.actor}
            error={fieldError('actor')}
            onChange={(event) => {
              setTexts({ ...texts, actor: event.currentTarget.value });
            }}
            w={180}
          />
          <Button type="submit" variant="default">
            {t('action.search')}
          </Button>
        </Group>
      </form>
      <ServerTable
        query={entries}
        columns={columns}
        idAccessor="id"
        caption={t('audit.title')}
        emptyText={t('audit.empty')}
      />
    </Stack>
  );
}
