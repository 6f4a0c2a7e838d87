// What the labels' screens share: their tabs, the stock's fields, a job's status and progress.
import { Badge, Checkbox, Group, NumberInput, Progress, SegmentedControl, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useMantineTheme } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { LabelJob } from './api';

/** Below the `sm` breakpoint a list shows one stacked column instead of its row (the whole
 * row in a phone's width, no sideways scrolling). Read at the first render, so a list never
 * shows both layouts at once. */
export function usePhone(): boolean {
  const theme = useMantineTheme();
  return useMediaQuery(`(max-width: ${theme.breakpoints.sm})`, false, { getInitialValueInEffect: false });
}

/** Templates | Jobs, as links (each its own address: the back button works). */
export function LabelsTabs() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = pathname.startsWith('/labels/jobs') ? '/labels/jobs' : '/labels';
  return (
    <Tabs
      value={current}
      onChange={(value) => {
        if (value) void navigate(value);
      }}
    >
      <Tabs.List>
        <Tabs.Tab value="/labels">{t('labels.tab.templates')}</Tabs.Tab>
        <Tabs.Tab value="/labels/jobs">{t('labels.tab.jobs')}</Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}

interface StockShape {
  stock: {
    kind: 'sheet' | 'roll';
    page_width_mm: number | string;
    page_height_mm: number | string;
    margin_top_mm: number | string;
    margin_left_mm: number | string;
    gap_x_mm: number | string;
    gap_y_mm: number | string;
    columns: number | string;
    rows: number | string;
    outline: boolean;
  };
}

const SHEET_FIELDS = [
  ['page_width_mm', 'labels.stock.page_width', 0.5],
  ['page_height_mm', 'labels.stock.page_height', 0.5],
  ['margin_top_mm', 'labels.stock.margin_top', 0.5],
  ['margin_left_mm', 'labels.stock.margin_left', 0.5],
  ['gap_x_mm', 'labels.stock.gap_x', 0.5],
  ['gap_y_mm', 'labels.stock.gap_y', 0.5],
  ['columns', 'labels.stock.columns', 1],
  ['rows', 'labels.stock.rows', 1],
] as const;

/** The stock a template prints on: A4-like sheets (page, margins, gaps, grid) or a roll. */
export function StockFields<V extends StockShape>({ form, disabled }: { form: UseFormReturnType<V>; disabled: boolean }) {
  const { t } = useTranslation();
  const stock = form.getValues().stock;
  const stockError = form.errors.stock;
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label={t('labels.stock.kind')}
        disabled={disabled}
        data={[
          { value: 'sheet', label: t('labels.stock.sheet') },
          { value: 'roll', label: t('labels.stock.roll') },
        ]}
        {...form.getInputProps('stock.kind')}
      />
      {stock.kind === 'sheet' && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          {SHEET_FIELDS.map(([name, label, step]) => (
            <NumberInput
              key={name}
              label={t(label)}
              step={step}
              min={0}
              decimalScale={step === 1 ? 0 : 2}
              disabled={disabled}
              description={name === 'columns' || name === 'rows' ? t('labels.stock.zero_fits') : undefined}
              {...form.getInputProps(`stock.${name}`)}
            />
          ))}
        </SimpleGrid>
      )}
      <Checkbox
        label={t('labels.stock.outline')}
        disabled={disabled}
        {...form.getInputProps('stock.outline', { type: 'checkbox' })}
      />
      {stockError && (
        <Text c="var(--bad)" size="sm" role="alert">
          {stockError}
        </Text>
      )}
    </Stack>
  );
}

// The shared tokens' state colours (AA at badge size), as the messages' badges.
const TONES: Record<string, [string, string]> = {
  done: ['var(--ok)', 'var(--ok-bg)'],
  failed: ['var(--bad)', 'var(--bad-bg)'],
  running: ['var(--warn)', 'var(--warn-bg)'],
};
const NEUTRAL: [string, string] = ['var(--muted)', 'var(--card)'];

export function JobStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const [ink, background] = TONES[status] ?? NEUTRAL;
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(`labels.job.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** Built-in (read-only) or the brand's own. */
export function TemplateKindBadge({ builtin }: { builtin: boolean }) {
  const { t } = useTranslation();
  const [ink, background] = builtin ? NEUTRAL : ['var(--info)', 'var(--info-bg)'];
  return (
    <Badge variant="outline" styles={{ root: { color: ink, borderColor: ink, background } }}>
      {t(builtin ? 'labels.template.builtin' : 'labels.template.brands')}
    </Badge>
  );
}

export function JobProgress({ job }: { job: LabelJob }) {
  const { t } = useTranslation();
  const percent = Math.round(job.progress * 100);
  const label = t('labels.job.progress_of', { done: job.done + job.skipped, total: job.total });
  return (
    <Group gap="xs" wrap="nowrap" miw={140}>
      <Progress
        value={job.status === 'done' ? 100 : percent}
        animated={job.status === 'running'}
        aria-label={label}
        style={{ flex: 1 }}
        color={job.status === 'failed' ? 'red' : undefined}
      />
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {job.status === 'done' ? 100 : percent}%
      </Text>
    </Group>
  );
}

export function selectionText(job: LabelJob, t: (key: string, values?: Record<string, unknown>) => string): string {
  const { selection } = job;
  if (selection.batch !== undefined) return t('labels.job.batch_of', { batch: selection.batch });
  if (selection.from_serial !== undefined) {
    return t('labels.job.range_of', { first: selection.from_serial, last: selection.to_serial ?? '' });
  }
  if (selection.cartons !== undefined) {
    return t('labels.job.cartons_of', { count: selection.cartons.length, first: selection.cartons[0] ?? '' });
  }
  return t('labels.job.list_of', { count: selection.serials ?? 0 });
}
